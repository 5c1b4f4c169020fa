/**
 * The shapes of the "one definition" registry: every route, function, table, state machine
 * and schedule is declared once with these types and read by both the CDK app (infra/) and
 * the local stack (infra/local/). Nothing here imports AWS libraries.
 */
import type { z } from 'zod';
import type { Role } from './roles.js';

export type TableId = 'customers' | 'products' | 'audit' | 'tasks' | 'counters' | 'notifications' | 'idempotency' | 'orders' | 'priceLists' | 'credit' | 'stock' | 'requests' | 'carriers' | 'assignmentRules' | 'deliveryNotes' | 'goodsReservations' | 'sampleRequests' | 'invoices' | 'payments' | 'ledger' | 'creditNotes' | 'returns' | 'exports' | 'reports' | 'statements' | 'workflowStarts';
export type StateMachineId = 'creditReview' | 'orderReview' | 'priceListApproval' | 'goodsReservationApproval' | 'safetyStockApproval' | 'sampleRequestApproval' | 'creditNoteApproval' | 'returnApproval' | 'financeExport';
export type AccessLevel = 'read' | 'write' | 'readwrite';

/** What a function may touch; CDK turns it into least-privilege grants. */
export interface FunctionAccess {
  tables?: Partial<Record<TableId, AccessLevel>>;
  /** State machines the function may start. */
  startExecution?: StateMachineId[];
  /** State machines whose task tokens the function may complete (SendTaskSuccess/Failure). */
  sendTaskResult?: StateMachineId[];
  /** Publishes to the notifications topic. */
  publishNotifications?: boolean;
  /** The finance exports bucket (R-AR-3): write the files, read them (presigned downloads), or both. */
  exportsBucket?: AccessLevel;
}

/** A file a function reads at run time besides its code (a font), copied into its bundle by CDK. */
export interface FunctionAsset {
  /** A package export, resolved as an import resolves it ('@fontsource/noto-sans-sc/files/….woff'). */
  from: string;
  /** Its path in the bundle, relative to the handler module (index.mjs). */
  to: string;
}

export interface FunctionDefinition {
  /** Stable id, PascalCase; becomes the CDK construct id and the local function name. */
  id: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  access: FunctionAccess;
  timeoutSeconds?: number;
  memoryMb?: number;
  /** Files copied into the bundle beside the handler (run from source, the function reads them from node_modules). */
  assets?: readonly FunctionAsset[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
> {
  operationId: string;
  method: HttpMethod;
  /** API Gateway path syntax: /customers/{customerId} */
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed to call; 'public' skips the JWT authorizer (health, OpenAPI only). */
  roles: readonly Role[] | 'public';
  params?: Params;
  query?: Query;
  body?: Body;
  /** Documented responses: status → schema (undefined for no body). */
  responses: Record<number, { description: string; schema?: z.ZodType; /** A body other than JSON (a PDF): its media type. */ contentType?: string }>;
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
  function: FunctionDefinition;
}

export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: RouteDefinition<P, Q, B>,
): RouteDefinition<P, Q, B> {
  return route;
}

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** Why the index exists: the access pattern it serves. */
  serves: string;
}

export interface TableDefinition {
  id: TableId;
  /** Local table name; in the cloud CloudFormation names the table and passes it in the environment. */
  localName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes: IndexDefinition[];
  timeToLiveAttribute?: string;
  stream?: 'NEW_IMAGE';
  /** The access patterns, written next to the table as DESIGN.md asks. */
  accessPatterns: string[];
}

/** A function fed by a table's stream (in the cloud an event source mapping; locally the stream poller). */
export interface StreamConsumerDefinition {
  table: TableId;
  function: FunctionDefinition;
  /** The stream events it is given (the event source's filter). */
  events: readonly ('INSERT' | 'MODIFY' | 'REMOVE')[];
  batchSize: number;
  /** False for a consumer of a cloud service that has no local stand-in (SNS). */
  runsLocally: boolean;
}

export interface StateMachineDefinition {
  id: StateMachineId;
  /** Name used for the execution ARN locally and as the CDK construct id. */
  name: string;
  /** ASL file, relative to the repository root. */
  file: string;
  /** `${Placeholder}` in the ASL file → the function whose ARN fills it. */
  functions: Record<string, FunctionDefinition>;
}

export interface ScheduleDefinition {
  name: string;
  description: string;
  /** EventBridge Scheduler expression, e.g. cron(0 2 * * ? *) */
  expression: string;
  timeZone: string;
  job: FunctionDefinition;
}

/** Environment variable that carries a table's physical name to functions. */
export function tableEnvName(id: TableId): string {
  return `TABLE_${id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Environment variable that carries the exports bucket's name to the functions that declare `exportsBucket`. */
export const EXPORTS_BUCKET_ENV = 'EXPORTS_BUCKET_NAME';

/** Environment variable that carries a state machine's ARN to functions. */
export function stateMachineEnvName(id: StateMachineId): string {
  return `STATE_MACHINE_${id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_ARN`;
}
