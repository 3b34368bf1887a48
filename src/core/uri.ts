// RFC 3986 §4.3: an absolute URI starts with a scheme. What RFC 6749 §3.1.2 asks of a redirect
// URI and RFC 8707 §2 of a resource (each also forbids a fragment, which its caller checks).
export function isAbsoluteUri(value: string): boolean {
  return URL.canParse(value) && /^[a-z][a-z0-9+.-]*:/i.test(value);
}
