/**
 * The API client: bearer token, JSON, Idempotency-Key on creating POSTs, If-Match on PATCH, and
 * RFC 9457 problems turned into an ApiError whose `fields` map each failing field (as the API
 * names it, without its `body.` prefix) to its message, so forms show them next to the field.
 */
export interface FieldProblem {
  field: string;
  message: string;
  code?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldProblem[];
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly fields: Record<string, string>;
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.fields = {};
    for (const e of problem.errors ?? []) this.fields[e.field.replace(/^(body|query|params)\./, '')] = e.message;
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RequestOptions {
  /** Sends an Idempotency-Key so a retried click creates one thing (creating POSTs). */
  idempotencyKey?: string;
  ifMatch?: string;
  signal?: AbortSignal;
}

export type TokenSource = () => Promise<string | undefined>;

export class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly token: TokenSource,
    private readonly onUnauthorized: () => void,
  ) {}

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  async request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const token = await this.token();
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    const res = await fetch(this.url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: options.signal });
    const text = await res.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) {
      const problem: Problem = parsed && typeof parsed === 'object' ? (parsed as Problem) : { title: text || res.statusText };
      if (!problem.title && typeof problem.message === 'string') problem.title = problem.message;
      throw new ApiError(res.status, { status: res.status, ...problem });
    }
    return parsed as T;
  }

  get<T>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, body, options);
  }
  patch<T>(path: string, body: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, body, options);
  }
  put<T>(path: string, body: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, body, options);
  }
  delete<T>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, options);
  }

  /** A binary download (statement PDFs) as a blob URL the browser can open. */
  async blobUrl(path: string): Promise<string> {
    const token = await this.token();
    const res = await fetch(this.url(path), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) throw new ApiError(res.status, { status: res.status, title: res.statusText });
    return URL.createObjectURL(await res.blob());
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { title: text };
  }
}

/** Builds a query string from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A key for one user action: the same action retried (a double click, a flaky network) reuses it. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
