import { describe, expect, it, vi } from 'vitest';
import { clientAddress } from '../../src/lib/server/auth/client-address';

const throwing = {
	getClientAddress(): string {
		throw new Error(
			'Address header was specified with ADDRESS_HEADER=x-real-ip but is absent from request'
		);
	}
};

describe('client address for throttling', () => {
	it('passes a proper address through', () => {
		expect(clientAddress({ getClientAddress: () => ' 203.0.113.7 ' })).toBe('203.0.113.7');
		expect(clientAddress({ getClientAddress: () => '2001:db8::1' })).toBe('2001:db8::1');
	});

	it('treats a missing or unusable address as unknown and says so once per process', () => {
		const log = vi.fn();
		expect(clientAddress(throwing, log)).toBeNull();
		expect(clientAddress(throwing, log)).toBeNull();
		expect(clientAddress({ getClientAddress: () => '' }, log)).toBeNull();
		expect(clientAddress({ getClientAddress: () => 'x'.repeat(5000) }, log)).toBeNull();
		expect(log).toHaveBeenCalledTimes(1);
		expect(log.mock.calls[0]![0]).toMatch(/^Proxy misconfigured: Address header was specified/);
	});
});
