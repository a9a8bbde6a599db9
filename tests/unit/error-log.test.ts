import { describe, expect, it } from 'vitest';
import { loggableError } from '../../src/lib/server/http/error-log';

describe("an internal error's log line", () => {
	it("keeps a database error's message, code and statement, not the values it carried", () => {
		const err = Object.assign(new Error('invalid input syntax for type json'), {
			code: '22P02',
			query: 'update quiz_attempts set answers = $1 where id = $2',
			parameters: ['{"q":"my answer"}', 'id'],
			where: 'JSON data, line 1: {"q":"my answer',
			detail: 'Key (email)=(ada@example.com) already exists.'
		});
		const logged = JSON.stringify(loggableError(err));
		expect(logged).toContain('invalid input syntax for type json');
		expect(logged).toContain('22P02');
		expect(logged).toContain('update quiz_attempts set answers = $1');
		expect(logged).not.toContain('my answer');
		expect(logged).not.toContain('ada@example.com');
	});

	it('passes other errors through as they are', () => {
		const err = new TypeError('x is undefined');
		expect(loggableError(err)).toBe(err);
	});
});
