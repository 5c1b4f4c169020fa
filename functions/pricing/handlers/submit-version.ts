import { actorOf } from '../../shared/auth.js';
import { businessDate, nowIso } from '../../shared/clock.js';
import { conflict, incomplete } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http.js';
import { approvalStartItem } from '../approval.js';
import { pricingRoutes } from '../routes.js';
import { assertEditable, itemProblems, storedIdOf, submissionProblems, submittedStatus } from '../rules.js';
import type { PriceListVersion } from '../schemas.js';
import { assertIfMatch, catalogueFor, etagOf, getVersion, replaceVersion } from '../store.js';

export const handler = httpHandler(pricingRoutes.submitPriceListVersion, async ({ params, user, headers }) => {
  const current = await getVersion(storedIdOf(params.priceListId), params.version, true);
  assertIfMatch(headers['if-match'], current);
  assertEditable(current);
  // The draft as stored must be complete and still fit the catalogue (a product may have been retired since).
  const problems = [
    ...submissionProblems(current, businessDate()),
    ...itemProblems(current.items, await catalogueFor(current.items.map((i) => i.productCode)), current.currency, 'items'),
  ];
  if (problems.length > 0) {
    throw incomplete(`Version ${current.version}`, problems);
  }

  const by = actorOf(user);
  const at = nowIso();
  // A new round: the previous round's review and return stay in the history, not on the version.
  const { returnedAt: _ra, returnedBy: _rb, returnReason: _rr, reviewedAt: _va, reviewedBy: _vb, reviewComment: _vc, reviewEscalated: _ve, ...rest } = current;
  const submitted: PriceListVersion = {
    ...rest,
    // R-PRICE-1: the general list goes to the sales manager's review; R-PRICE-2: a customer list straight to approval.
    status: submittedStatus(current.kind),
    round: current.round + 1,
    submittedAt: at,
    submittedBy: by,
    revision: current.revision + 1,
    updatedAt: at,
    updatedBy: by,
  };
  const history = { before: { status: current.status, round: current.round }, after: { status: submitted.status, round: submitted.round } };
  const action = `version ${current.version} submitted (round ${submitted.round})`;
  if (!(await replaceVersion({ before: current, after: submitted, by, action, history, alsoWrite: [approvalStartItem(submitted)] }))) {
    throw conflict(`version ${current.version} was changed by someone else at the same moment; reload and try again`);
  }
  return { status: 202, body: submitted, headers: { etag: etagOf(submitted) } };
});
