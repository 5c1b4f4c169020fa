/**
 * Safety stock per product and balance (R-FULFIL-9): the sales clerk proposes it from recent sales,
 * the sales manager approves it through the approval machine (state-machines/approval.asl.json as
 * `safetyStockApproval`), and the approved quantity lives on the balance item as `safetyUnits`.
 *
 * Storage, in the stock table (partition: the product):
 * - a proposal is an item `SAFETY#<proposalId>` (SS-NNNNNN) that stays after it is decided: the
 *   history of who proposed what, from which suggestion, and how it ended;
 * - the balance item `WH#<warehouse>#<spec>` names the proposal waiting for approval
 *   (`pendingSafetyProposalId`): it is set on the condition that none is, so a second proposal for
 *   the same balance is refused while one waits; an outcome removes it on the condition that it
 *   still names this proposal, so a retried step changes nothing twice;
 * - each proposal and outcome writes a change entry in the product's history (GET /products/{code}/history).
 * Recent sales: the ISSUE movements against delivery notes, read by a key range on the movements'
 * sort key (`MOVE#<iso>#<ulid>`) from the window's start, so a product's older movements are not read.
 */
import { approvalStartItem } from '../approvals/workflow.js';
import { type Answer, answerItems } from '../shared/idempotency.js';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalSubject } from '../approvals/steps.js';
import type { ApprovalOutcome } from '../approvals/workflow.js';
import type { Product } from '../catalog/schemas.js';
import { getProduct } from '../catalog/store.js';
import { notificationPut, toUser } from '../notifications/outbox.js';
import { changeEntryPut, subjectOf } from '../shared/audit.js';
import { now, nowIso } from '../shared/clock.js';
import { type TransactItem, ddb, nextInSequence, tableName, transactConditional } from '../shared/dynamo.js';
import { type FieldError, conflict, validationFailed } from '../shared/errors.js';
import { formatNumber } from '../shared/ids.js';
import { fromUnits, toUnits } from '../shared/quantity.js';
import type { Actor } from '../shared/schemas.js';
import { settings } from '../shared/settings.js';
import { checkSafetyStock } from './safety.js';
import { salesWindow, suggestSafetyStock } from './safety-rules.js';
import type { ProductSafetyStock, SafetyStockProposal, SafetyStockProposalBody, SafetyStockSuggestion } from './schemas.js';
import { type BalanceItem, type StockPlace, balanceKey, getBalance, specKey } from './store.js';

const HISTORY_SHOWN = 10;

/** A proposal as stored: the view's fields, with its quantity in units. */
export type StoredProposal = Omit<SafetyStockProposal, 'quantity' | 'previousSafetyStock'> & {
  itemKey: string;
  specKey: string;
  units: number;
  scale: number;
  previousSafetyUnits?: number;
};

export const proposalKey = (proposalId: string) => `SAFETY#${proposalId}`;

/** The approval machine's subject: the product and the proposal (PLATE-Q235/SS-000001). */
export const subjectIdOf = (p: Pick<SafetyStockProposal, 'productCode' | 'proposalId'>) => `${p.productCode}/${p.proposalId}`;
export function parseSubjectId(subjectId: string): { productCode: string; proposalId: string } {
  const [productCode, proposalId, ...rest] = subjectId.split('/');
  if (!productCode || !proposalId || rest.length) throw new Error(`not a safety stock subject: ${subjectId}`);
  return { productCode, proposalId };
}

const placeOf = (p: StockPlace): StockPlace => ({ warehouseId: p.warehouseId, ...(p.specification ? { specification: p.specification } : {}) });
const placeName = (productCode: string, p: StockPlace) => `${productCode}${p.specification ? ` ${p.specification}` : ''} in ${p.warehouseId}`;

export function proposalView(p: StoredProposal): SafetyStockProposal {
  const { itemKey: _k, specKey: _s, units, scale, previousSafetyUnits, ...rest } = p;
  return {
    ...rest,
    quantity: fromUnits(units, scale),
    ...(previousSafetyUnits !== undefined ? { previousSafetyStock: fromUnits(previousSafetyUnits, scale) } : {}),
  };
}

export async function getProposal(productCode: string, proposalId: string): Promise<StoredProposal | undefined> {
  const { Item } = await ddb.send(new GetCommand({ TableName: tableName('stock'), Key: { productCode, itemKey: proposalKey(proposalId) }, ConsistentRead: true }));
  return Item as StoredProposal | undefined;
}

/** Every item of the product's partition whose key starts with the prefix (balances, proposals). */
async function queryPrefix<T>(productCode: string, prefix: string): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(
      new QueryCommand({
        TableName: tableName('stock'),
        KeyConditionExpression: 'productCode = :p AND begins_with(itemKey, :prefix)',
        ExpressionAttributeValues: { ':p': productCode, ':prefix': prefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Units issued against delivery notes per balance (balanceKey) since `from`: the movements from the
 * window's start on, by the sort key's range; only ISSUE movements of a delivery note are kept.
 */
async function issuedSince(productCode: string, from: string, to: string): Promise<Map<string, number>> {
  const issued = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(
      new QueryCommand({
        TableName: tableName('stock'),
        KeyConditionExpression: 'productCode = :p AND itemKey BETWEEN :from AND :to',
        FilterExpression: '#kind = :issue AND begins_with(#reference, :note)',
        ProjectionExpression: 'warehouseId, specification, #units',
        ExpressionAttributeNames: { '#kind': 'kind', '#reference': 'reference', '#units': 'units' },
        // '~' sorts after every ULID character: the movements of the window's last millisecond count.
        ExpressionAttributeValues: { ':p': productCode, ':from': `MOVE#${from}`, ':to': `MOVE#${to}#~`, ':issue': 'ISSUE', ':note': 'DN-' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const m of (page.Items ?? []) as { warehouseId: string; specification?: string; units: number }[]) {
      const key = balanceKey(m);
      issued.set(key, (issued.get(key) ?? 0) + Number(m.units));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return issued;
}

/** What recent sales suggest for each balance of the product, now. */
async function suggestionsFor(product: Pick<Product, 'productCode' | 'quantityScale'>): Promise<(place: StockPlace) => SafetyStockSuggestion> {
  const { safetyStockSalesDays: days, safetyStockCoverDays: coverDays } = settings();
  const window = salesWindow(now(), days);
  const issued = await issuedSince(product.productCode, window.from, window.to);
  return (place) => {
    const s = suggestSafetyStock(issued.get(balanceKey(place)) ?? 0, days, coverDays, product.quantityScale);
    const q = (units: number) => fromUnits(units, product.quantityScale);
    return { quantity: q(s.suggestedUnits), issued: q(s.issuedUnits), days, averagePerDay: s.averagePerDay, coverDays, from: window.from, to: window.to };
  };
}

/**
 * GET /stock/{productCode}/safety-stock: per balance the approved safety stock, the pending
 * proposal, the suggestion from recent sales and the decided proposals. The places are the
 * product's balances, every specification in the company warehouse (stocked or not yet), and
 * any place a proposal waits for.
 */
export async function readSafetyStock(productCode: string): Promise<ProductSafetyStock> {
  const product = await getProduct(productCode);
  const [balances, proposals, suggest] = await Promise.all([queryPrefix<BalanceItem>(productCode, 'WH#'), queryPrefix<StoredProposal>(productCode, 'SAFETY#'), suggestionsFor(product)]);
  const places = new Map<string, StockPlace>();
  for (const b of balances) places.set(balanceKey(b), placeOf(b));
  const defaultWarehouse = settings().defaultWarehouseId;
  const specs = product.specifications?.length ? product.specifications : [undefined];
  for (const specification of specs) {
    const place = { warehouseId: defaultWarehouse, ...(specification ? { specification } : {}) };
    if (!places.has(balanceKey(place))) places.set(balanceKey(place), place);
  }
  for (const p of proposals) if (!places.has(balanceKey(p))) places.set(balanceKey(p), placeOf(p));

  const balanceAt = new Map(balances.map((b) => [balanceKey(b), b]));
  const q = (units: number) => fromUnits(units, product.quantityScale);
  const newestFirst = [...proposals].sort((a, b) => (a.proposedAt < b.proposedAt ? 1 : -1));
  return {
    productCode,
    unit: product.unit,
    places: [...places.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, place]) => {
        const balance = balanceAt.get(key);
        const pending = balance?.pendingSafetyProposalId ? proposals.find((p) => p.proposalId === balance.pendingSafetyProposalId) : undefined;
        return {
          ...place,
          available: q(balance?.availableUnits ?? 0),
          ...(balance?.safetyUnits !== undefined ? { safetyStock: q(balance.safetyUnits) } : {}),
          ...(balance?.safetyApprovedBy ? { approvedBy: balance.safetyApprovedBy } : {}),
          ...(balance?.safetyApprovedAt ? { approvedAt: balance.safetyApprovedAt } : {}),
          belowSafetyStock: balance?.belowSafetySince !== undefined,
          ...(balance?.belowSafetySince ? { belowSafetySince: balance.belowSafetySince } : {}),
          ...(pending ? { pending: proposalView(pending) } : {}),
          suggestion: suggest(place),
          history: newestFirst
            .filter((p) => balanceKey(p) === key && p.status !== 'PENDING_APPROVAL')
            .slice(0, HISTORY_SHOWN)
            .map(proposalView),
        };
      }),
  };
}

/** The input's problems against the catalogue (R-INTAKE-5): precision and specification, every one named. */
function proposalProblems(product: Product, input: SafetyStockProposalBody): FieldError[] {
  const problems: FieldError[] = [];
  const [, decimals = ''] = input.quantity.split('.');
  if (decimals.length > product.quantityScale) {
    problems.push({ field: 'body.quantity', message: `at most ${product.quantityScale} decimal places for ${product.productCode} (${product.unit})`, code: 'quantity_precision' });
  }
  const specs = product.specifications ?? [];
  if (specs.length > 0 ? !input.specification || !specs.includes(input.specification) : input.specification !== undefined) {
    problems.push({ field: 'body.specification', message: specs.length > 0 ? `one of ${specs.join(', ')}` : `${product.productCode} has no specifications`, code: 'specification' });
  }
  return problems;
}

/**
 * The balance's side of a proposal: it names the proposal, on the condition that none waits. A
 * balance not stocked yet is created with nothing on hand (the same fields a receipt creates).
 */
function claimBalance(product: Product, place: StockPlace, proposalId: string): TransactItem {
  return {
    Update: {
      TableName: tableName('stock'),
      Key: { productCode: product.productCode, itemKey: balanceKey(place) },
      UpdateExpression:
        'SET pendingSafetyProposalId = :id, onHandUnits = if_not_exists(onHandUnits, :zero), reservedUnits = if_not_exists(reservedUnits, :zero), ' +
        'availableUnits = if_not_exists(availableUnits, :zero), receivedUnits = if_not_exists(receivedUnits, :zero), adjustedUnits = if_not_exists(adjustedUnits, :zero), ' +
        `issuedUnits = if_not_exists(issuedUnits, :zero), warehouseId = :w, balanceWarehouseId = :w, stockKey = :stockKey, #unit = :unit, scale = :scale${place.specification ? ', specification = :spec' : ''}`,
      ConditionExpression: 'attribute_not_exists(pendingSafetyProposalId)',
      ExpressionAttributeNames: { '#unit': 'unit' },
      ExpressionAttributeValues: {
        ':id': proposalId,
        ':zero': 0,
        ':w': place.warehouseId,
        ':stockKey': `${product.productCode}#${specKey(place.specification)}`,
        ':unit': product.unit,
        ':scale': product.quantityScale,
        ...(place.specification ? { ':spec': place.specification } : {}),
      },
    },
  };
}

const pendingConflict = (productCode: string, place: StockPlace, proposalId?: string) =>
  conflict(`a safety stock proposal${proposalId ? ` (${proposalId})` : ''} for ${placeName(productCode, place)} waits for the sales manager already; one at a time`);

/**
 * Writes the proposal (PENDING_APPROVAL, with who proposed it and the suggestion of the moment), the
 * balance's claim on it and the product's history entry, in one transaction. Bad input is a 400
 * before anything is written; a proposal already waiting for the balance is a 409.
 */
export async function proposeSafetyStock(productCode: string, input: SafetyStockProposalBody, by: Actor, answer?: Answer<StoredProposal>): Promise<StoredProposal> {
  const product = await getProduct(productCode);
  const problems = proposalProblems(product, input);
  if (problems.length > 0) throw validationFailed(problems);
  const place = placeOf({ warehouseId: input.warehouseId ?? settings().defaultWarehouseId, specification: input.specification });
  const current = await getBalance(productCode, place);
  if (current?.pendingSafetyProposalId) throw pendingConflict(productCode, place, current.pendingSafetyProposalId);

  const suggestion = (await suggestionsFor(product))(place);
  const proposalId = formatNumber('SS', await nextInSequence('safetyStockProposal'));
  const proposal: StoredProposal = {
    productCode,
    itemKey: proposalKey(proposalId),
    proposalId,
    ...place,
    specKey: specKey(place.specification),
    units: toUnits(input.quantity, product.quantityScale),
    scale: product.quantityScale,
    unit: product.unit,
    ...(input.basis ? { basis: input.basis } : {}),
    ...(current?.safetyUnits !== undefined ? { previousSafetyUnits: current.safetyUnits } : {}),
    suggestion,
    status: 'PENDING_APPROVAL',
    proposedBy: by,
    proposedAt: nowIso(),
  };
  const view = proposalView(proposal);
  const written = await transactConditional([
    claimBalance(product, place, proposalId),
    { Put: { TableName: tableName('stock'), Item: proposal, ConditionExpression: 'attribute_not_exists(itemKey)' } },
    changeEntryPut(
      subjectOf('product', productCode),
      by,
      `safety stock ${view.quantity} ${product.unit} proposed for ${placeName(productCode, place)} (${proposalId}), for the sales manager's approval`,
      { safetyStock: view.previousSafetyStock ?? null },
      { proposedSafetyStock: view.quantity, proposalId, suggestion: suggestion.quantity },
      input.basis,
    ),
    // The sales manager decides it in the approval machine, asked for in the same write (the outbox), with the request's answer.
    approvalStartItem('safetyStockApproval', subjectIdOf(proposal), ['sales_manager']),
    ...(answer ? answerItems(answer(proposal)) : []),
  ]);
  if (!written.ok) throw pendingConflict(productCode, place);
  return proposal;
}

/** The proposal's end and the balance's release of it, conditional on both still being as the proposal left them. */
function endItems(p: StoredProposal, status: SafetyStockProposal['status'], decidedBy: Actor | undefined, reason: string): TransactItem[] {
  const at = nowIso();
  return [
    {
      Update: {
        TableName: tableName('stock'),
        Key: { productCode: p.productCode, itemKey: p.itemKey },
        UpdateExpression: `SET #status = :status, decidedAt = :at, reason = :reason${decidedBy ? ', decidedBy = :by' : ''}`,
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':pending': 'PENDING_APPROVAL', ':at': at, ':reason': reason, ...(decidedBy ? { ':by': decidedBy } : {}) },
      },
    },
  ];
}

/**
 * The approval's outcome (the machine's last step). APPROVED: the balance's safety stock becomes
 * the proposed quantity (0 removes it), with the proposal's end and the history entry in one
 * transaction, then the alert is checked at once. REJECTED or EXPIRED: the proposal ends with the
 * reason, the safety stock stays. Either way the proposer is told. Everything is conditional on the
 * proposal still waiting, so a retried step writes nothing twice.
 */
export async function applySafetyStockOutcome(subjectId: string, outcome: ApprovalOutcome): Promise<void> {
  const { productCode, proposalId } = parseSubjectId(subjectId);
  const proposal = await getProposal(productCode, proposalId);
  if (!proposal) throw new Error(`no safety stock proposal ${proposalId} of ${productCode}`);
  if (proposal.status !== 'PENDING_APPROVAL') return;
  const place = placeOf(proposal);
  const view = proposalView(proposal);
  const balance = await getBalance(productCode, place);
  const before = balance?.safetyUnits !== undefined ? fromUnits(balance.safetyUnits, proposal.scale) : null;
  const decision = outcome.decisions.at(-1);
  const decidedBy = decision?.decidedBy;
  const approved = outcome.outcome === 'APPROVED';
  const what = placeName(productCode, place);
  const status: SafetyStockProposal['status'] = outcome.outcome;
  const balanceUpdate: TransactItem = {
    Update: {
      TableName: tableName('stock'),
      Key: { productCode, itemKey: balanceKey(place) },
      UpdateExpression: approved
        ? proposal.units > 0
          ? 'SET safetyUnits = :q, safetyProposalId = :id, safetyApprovedBy = :by, safetyApprovedAt = :at REMOVE pendingSafetyProposalId'
          : 'SET safetyProposalId = :id, safetyApprovedBy = :by, safetyApprovedAt = :at REMOVE pendingSafetyProposalId, safetyUnits'
        : 'REMOVE pendingSafetyProposalId',
      ConditionExpression: 'pendingSafetyProposalId = :id',
      ExpressionAttributeValues: {
        ':id': proposalId,
        ...(approved ? { ':by': decidedBy ?? proposal.proposedBy, ':at': decision?.decidedAt ?? nowIso(), ...(proposal.units > 0 ? { ':q': proposal.units } : {}) } : {}),
      },
    },
  };
  const action = approved
    ? `safety stock for ${what} set to ${view.quantity} ${proposal.unit} (${proposalId}): ${outcome.reason}`
    : `safety stock proposal ${proposalId} for ${what} (${view.quantity} ${proposal.unit}) ${outcome.outcome === 'REJECTED' ? 'refused' : 'not decided in time'}; the safety stock stays`;
  const written = await transactConditional([
    ...endItems(proposal, status, decidedBy, outcome.reason),
    balanceUpdate,
    changeEntryPut(
      subjectOf('product', productCode),
      decidedBy ?? { userId: 'system', name: 'System' },
      action,
      approved ? { safetyStock: before } : { proposalId, status: 'PENDING_APPROVAL' },
      approved ? { safetyStock: proposal.units > 0 ? view.quantity : null } : { proposalId, status },
      outcome.reason,
    ),
    notificationPut({
      dedupeKey: `${proposalId}#${status}`,
      recipient: toUser(proposal.proposedBy.userId),
      topic: 'safety-stock',
      subject: approved ? `Safety stock approved: ${what}` : `Safety stock ${outcome.outcome === 'REJECTED' ? 'refused' : 'not decided'}: ${what}`,
      body: approved
        ? `Your proposal ${proposalId}: the safety stock of ${what} is now ${view.quantity} ${proposal.unit} (${outcome.reason}).`
        : `Your proposal ${proposalId} of ${view.quantity} ${proposal.unit} for ${what} was ${outcome.reason}; the safety stock stays ${before === null ? 'unset' : `${before} ${proposal.unit}`}.`,
      link: `/stock/${productCode}/safety-stock`,
    }),
  ]);
  // A retried step after the first one committed: nothing to do twice (the check below is harmless to repeat).
  if (!written.ok && (await getProposal(productCode, proposalId))?.status === 'PENDING_APPROVAL') {
    throw new Error(`safety stock proposal ${proposalId}: the balance no longer names it; nothing applied`);
  }
  if (approved) await checkSafetyStock(productCode, [place]);
}

/** How a proposal reads in the sales manager's queue (the approval machine's first step). */
export async function safetyStockApprovalSubject(subjectId: string): Promise<ApprovalSubject> {
  const { productCode, proposalId } = parseSubjectId(subjectId);
  const [proposal, product] = await Promise.all([getProposal(productCode, proposalId), getProduct(productCode)]);
  if (!proposal) throw new Error(`no safety stock proposal ${proposalId} of ${productCode}`);
  const view = proposalView(proposal);
  const what = placeName(productCode, proposal);
  const balance = await getBalance(productCode, placeOf(proposal));
  const q = (units: number) => `${fromUnits(units, proposal.scale)} ${proposal.unit}`;
  return {
    waiting: proposal.status === 'PENDING_APPROVAL',
    taskType: 'SAFETY_STOCK_APPROVAL',
    title: `safety stock of ${view.quantity} ${proposal.unit} for ${product.name} (${what}), proposed by ${proposal.proposedBy.name}`,
    subject: { kind: 'product', id: productCode, name: `${productCode} ${product.name}` },
    details: {
      proposalId,
      warehouseId: proposal.warehouseId,
      ...(proposal.specification ? { specification: proposal.specification } : {}),
      proposed: `${view.quantity} ${proposal.unit}`,
      current: view.previousSafetyStock !== undefined ? `${view.previousSafetyStock} ${proposal.unit}` : null,
      available: balance ? q(balance.availableUnits) : `0 ${proposal.unit}`,
      suggestion: view.suggestion,
      ...(view.basis ? { basis: view.basis } : {}),
      proposedBy: proposal.proposedBy,
      proposedAt: proposal.proposedAt,
    },
    link: `/stock/${productCode}/safety-stock`,
  };
}
