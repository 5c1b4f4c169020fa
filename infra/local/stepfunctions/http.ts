/**
 * The AWS JSON 1.0 protocol as `@aws-sdk/client-sfn` speaks it: POST /, header
 * `X-Amz-Target: AWSStepFunctions.<Operation>`, JSON bodies, timestamps as epoch seconds,
 * errors as HTTP 400 with `{"__type": "<ErrorCode>", "message": ...}` (the SDK maps `__type`
 * to its typed exception classes, e.g. `TaskDoesNotExist`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** An error the service reports to the client with its AWS error code. */
export class SfnServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export type OperationHandler = (operation: string, body: Record<string, unknown>) => Promise<object>;

const MAX_BODY_BYTES = 1024 * 1024;

export function createSfnServer(handle: OperationHandler): Server {
  return createServer((req, res) => {
    void serve(req, res, handle);
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, handle: OperationHandler): Promise<void> {
  const requestId = randomUUID();
  try {
    const target = req.headers['x-amz-target'];
    const match = typeof target === 'string' ? /^AWSStepFunctions\.([A-Za-z]+)$/.exec(target) : null;
    if (req.method !== 'POST' || !match?.[1]) {
      throw new SfnServiceError('UnknownOperationException', `expected POST with X-Amz-Target: AWSStepFunctions.<Operation>, got ${req.method ?? '?'} ${String(target)}`);
    }
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.length === 0 ? {} : JSON.parse(raw);
    } catch {
      throw new SfnServiceError('SerializationException', 'the request body is not valid JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new SfnServiceError('SerializationException', 'the request body must be a JSON object');
    }
    send(res, 200, await handle(match[1], body as Record<string, unknown>), requestId);
  } catch (error) {
    if (error instanceof SfnServiceError) {
      send(res, 400, { __type: error.code, message: error.message }, requestId);
    } else {
      send(res, 500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) }, requestId);
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SfnServiceError('ValidationException', 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: object, requestId: string): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}
