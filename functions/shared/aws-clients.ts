/**
 * How the shared AWS SDK clients (DynamoDB, Step Functions) reach their service, so that a service
 * that is down answers within a second instead of holding the request:
 * - `connectionTimeout`: a connection not established in 3 s is abandoned (the SDK's default waits
 *   for the operating system, a minute or more, for an address that does not answer);
 * - `maxAttempts`: 3, the SDK's standard retries with backoff and jitter, for throttling and
 *   transient faults. A refused connection (the service is not there) fails all three in well under
 *   a second; the HTTP middleware then answers 503 with Retry-After (errors.ts outageOf).
 * No socket or request timeout: a service that accepts the connection and then stays silent holds the
 * request until the function's timeout (API Gateway then answers 503 itself). A 5 s socket timeout was
 * tried: under 200 requests at once on this repository's 2-core test machine, DynamoDB Local went
 * silent for longer than that on a sound request, which then failed as an outage.
 */
export const DEPENDENCY_CLIENT_CONFIG = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 3_000 },
} as const;
