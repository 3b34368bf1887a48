// Reading a JWT without verifying it: `tokens decode` shows what a token says, and the tests
// inspect what the server issued, through this one function.

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** The header and payload of a compact JWS, unverified; throws an Error that says what is wrong. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('this is not a JWT (a JWT has three dot-separated parts)');
  const part = (text: string, what: string): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // Reported below.
    }
    throw new Error(`this is not a JWT: its ${what} is not a base64url JSON object`);
  };
  return { header: part(parts[0] ?? '', 'header'), payload: part(parts[1] ?? '', 'payload') };
}
