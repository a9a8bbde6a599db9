// The bare Node ceiling: node:http answering a small HTML page, nothing else.
import http from 'node:http';

const page = Buffer.from(
	'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title></head>' +
		'<body><h1>Bare Node</h1><p>The ceiling the benchmark compares with.</p></body></html>'
);
http
	.createServer((_req, res) => {
		res.writeHead(200, {
			'content-type': 'text/html; charset=utf-8',
			'content-length': page.length
		});
		res.end(page);
	})
	.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('bare node listening'));
