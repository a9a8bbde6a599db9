import { describe, expect, it, vi } from 'vitest';
import { clientAddress, UNKNOWN_ADDRESS } from '../../src/lib/server/auth/client-address';

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

	it('counts a missing or unusable address as the one shared unknown address, said once per process', () => {
		const log = vi.fn();
		expect(clientAddress(throwing, log)).toBe(UNKNOWN_ADDRESS);
		expect(clientAddress(throwing, log)).toBe(UNKNOWN_ADDRESS);
		expect(clientAddress({ getClientAddress: () => '' }, log)).toBe(UNKNOWN_ADDRESS);
		expect(clientAddress({ getClientAddress: () => 'x'.repeat(65) }, log)).toBe(UNKNOWN_ADDRESS);
		expect(clientAddress({ getClientAddress: () => 'x'.repeat(64) }, log)).toBe('x'.repeat(64));
		expect(log).toHaveBeenCalledTimes(1);
		expect(log.mock.calls[0]![0]).toMatch(/^Proxy misconfigured: Address header was specified/);
	});
});
