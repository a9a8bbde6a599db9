// What a visitor, a holder and an employer see of a certificate, as outsiders would probe it:
// the credential check on /verify/<code> judges against that page's own record and shows one
// verdict; a revoked certificate hands out no documents; a name the PDF font cannot print is
// refused where it is entered and never turns the PDF download into a 500.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, signUp, type Account } from './support/client';
import { openSql, setRole } from './support/database';
import { completeFixtureCourse } from './support/quiz';

const base = inject('appUrl');
const sql = openSql(inject('appDatabaseUrl'));
const visitor = () => new Client(base);

interface Earned {
	holder: Account;
	id: string;
	code: string;
	jwt: string;
}

async function earn(name: string): Promise<Earned> {
	const holder = await signUp(base, name);
	const id = await completeFixtureCourse(holder.client);
	const [row] = await sql`select code from certificates where id = ${id}`;
	const res = await holder.client.get(`/certificates/${id}/credential.jwt`);
	expect(res.status).toBe(200);
	return { holder, id, code: row!.code as string, jwt: (await res.text()).trim() };
}

async function revoke(id: string, reason: string) {
	const admin = await signUp(base, 'Verdict Admin', 'verdict-admin');
	await setRole(sql, admin.email, 'admin');
	const res = await admin.client.post('/admin/certificates?/revoke', { id, reason });
	expect(res.status).toBe(303);
}

/** The banners at the top of the page: green ones and red ones. */
function verdicts(html: string) {
	return {
		green: [...html.matchAll(/class="notice success"[^>]*>([\s\S]*?)<\/(?:p|div)>/g)].map((m) =>
			m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')
		),
		red: [...html.matchAll(/class="notice error"[^>]*>([\s\S]*?)<\/(?:p|div)>/g)].map((m) =>
			m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')
		)
	};
}

let alice: Earned;
let bruno: Earned;
beforeAll(async () => {
	[alice, bruno] = await Promise.all([earn('Alice Verdict'), earn('Bruno Verdict')]);
}, 180_000);
afterAll(() => sql.end());

describe('the credential check on a verification page', () => {
	it('says Valid, once, for the page’s own credential', async () => {
		const res = await visitor().post(`/verify/${alice.code}?/check`, { jwt: alice.jwt });
		expect(res.status).toBe(200);
		const v = verdicts(await res.text());
		expect(v.red).toEqual([]);
		expect(v.green).toHaveLength(1);
		expect(v.green[0]).toMatch(/matches this record/);
	});

	it('refuses another holder’s valid credential, with no green banner, even on a revoked page', async () => {
		const res = await visitor().post(`/verify/${alice.code}?/check`, { jwt: bruno.jwt });
		expect(res.status).toBe(400);
		const v = verdicts(await res.text());
		expect(v.green).toEqual([]);
		expect(v.red.join(' ')).toMatch(/Not valid for this certificate/);
		expect(v.red.join(' ')).toMatch(/certificate code/);
		expect(v.red.join(' ')).toMatch(/holder name/);

		const revoked = await earn('Carla Revoked');
		await revoke(revoked.id, 'Issued in error');
		const onRevoked = await visitor().post(`/verify/${revoked.code}?/check`, { jwt: bruno.jwt });
		expect(onRevoked.status).toBe(400);
		const w = verdicts(await onRevoked.text());
		expect(w.green).toEqual([]);
		expect(w.red.join(' ')).not.toMatch(/matches this record/);
	});

	it('notices when the record’s score or dates no longer agree with the credential', async () => {
		const dana = await earn('Dana Regraded');
		await sql`update certificates set score_percent = 61 where id = ${dana.id}`;
		const res = await visitor().post(`/verify/${dana.code}?/check`, { jwt: dana.jwt });
		expect(res.status).toBe(400);
		const v = verdicts(await res.text());
		expect(v.green).toEqual([]);
		expect(v.red.join(' ')).toMatch(/score differs/);
		await sql`update certificates set completed_at = completed_at - interval '3 days' where id = ${dana.id}`;
		const later = verdicts(
			await (await visitor().post(`/verify/${dana.code}?/check`, { jwt: dana.jwt })).text()
		);
		expect(later.red.join(' ')).toMatch(/score, completion date differ/);
	});
});

describe('a revoked certificate', () => {
	it('hands out no PDF and no credential, and its status says revoked', async () => {
		const erin = await earn('Erin Revoked');
		await revoke(erin.id, 'Exam taken by someone else');
		for (const file of ['certificate.pdf', 'credential.jwt']) {
			const res = await erin.holder.client.get(`/certificates/${erin.id}/${file}`);
			expect(res.status, file).toBe(410);
			const body = await res.text();
			expect(body).toMatch(/revoked on \d{4}-\d\d-\d\d/);
			expect(body).toContain('Exam taken by someone else');
		}
		const list = await erin.holder.client.text('/certificates');
		expect(list).not.toContain(`/certificates/${erin.id}/certificate.pdf`);
		expect(list).not.toContain(`/certificates/${erin.id}/credential.jwt`);
		expect(list).toMatch(/no longer issued/);
		const status = await visitor().get(`/verify/${erin.code}/status`);
		expect(((await status.json()) as { status: string }).status).toBe('revoked');
		expect(await visitor().text(`/verify/${erin.code}`)).toMatch(/Revoked/);
	});
});

describe('a name the PDF font cannot print', () => {
	it('is refused as the name for certificates, with a message, and nothing changes', async () => {
		const res = await alice.holder.client.post('/account?/certificateName', {
			certificateName: '李小龍'
		});
		expect(res.status).toBe(400);
		expect(await res.text()).toMatch(/cannot print 李 小 龍/);
		const [row] = await sql`select holder_name from certificates where id = ${alice.id}`;
		expect(row!.holder_name).toBe('Alice Verdict');
	});

	it('already on a certificate (a display name), gives a clear 409 for the PDF, never a 500', async () => {
		const wang = await earn('王小明');
		const pdf = await wang.holder.client.get(`/certificates/${wang.id}/certificate.pdf`);
		expect(pdf.status).toBe(409);
		expect(await pdf.text()).toMatch(/cannot print the name/);
		const list = await wang.holder.client.text('/certificates');
		expect(list).toMatch(/cannot print the name/);
		expect(list).not.toContain(`/certificates/${wang.id}/certificate.pdf`);
		const done = await wang.holder.client.text('/courses/fixture-course/complete');
		expect(done).toMatch(/cannot print the name/);
		expect(done).not.toContain(`/certificates/${wang.id}/certificate.pdf`);
		// The credential carries the name as it is.
		expect(Buffer.from(wang.jwt.split('.')[1]!, 'base64url').toString()).toContain('王小明');
		// A Latin spelling for certificates makes the PDF printable again.
		const set = await wang.holder.client.post('/account?/certificateName', {
			certificateName: 'Wang Xiaoming'
		});
		expect(set.status).toBe(303);
		const again = await wang.holder.client.get(`/certificates/${wang.id}/certificate.pdf`);
		expect(again.status).toBe(200);
		expect(again.headers.get('content-type')).toBe('application/pdf');
	});
});
