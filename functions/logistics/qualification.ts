/**
 * R-FULFIL-6: transport uses pre-qualified carriers only. The rule (pure) and the check the
 * dispatch of a shipment calls before it records a carrier.
 */
import type { Actor } from '../shared/schemas.js';
import { HttpError, PROBLEM_TYPES } from '../shared/errors.js';
import type { Carrier, QualificationDecision } from './schemas.js';
import { getCarrier } from './store.js';

export type CarrierProblemCode = 'unknown_carrier' | 'carrier_not_qualified' | 'carrier_qualification_expired';

/** Why a carrier may not carry goods on a business date (YYYY-MM-DD), or undefined if it may. */
export function carrierQualificationProblem(carrier: Carrier | undefined, carrierId: string, onDate: string): { code: CarrierProblemCode; message: string } | undefined {
  if (!carrier) return { code: 'unknown_carrier', message: `no carrier ${carrierId} in the register` };
  if (!carrier.qualified) {
    return { code: 'carrier_not_qualified', message: `${carrierId} (${carrier.name}) is not a qualified carrier: ${carrier.qualificationRemark}` };
  }
  // Qualified through qualifiedUntil inclusive; business dates compare as strings.
  if (carrier.qualifiedUntil === null || carrier.qualifiedUntil < onDate) {
    return { code: 'carrier_qualification_expired', message: `the qualification of ${carrierId} (${carrier.name}) ended on ${carrier.qualifiedUntil ?? 'an unknown date'}, before ${onDate}` };
  }
  return undefined;
}

/** The carrier after a qualification decision: the decision, its reason, who and when. */
export function applyQualification(carrier: Carrier, decision: QualificationDecision, by: Actor, at: string): Carrier {
  return {
    ...carrier,
    qualified: decision.qualified,
    qualifiedUntil: decision.qualified ? (decision.qualifiedUntil ?? null) : null,
    qualificationRemark: decision.reason,
    qualificationDecidedAt: at,
    qualificationDecidedBy: by,
  };
}

/**
 * Throws unless `carrierId` is a carrier qualified on `onDate` (a business date, YYYY-MM-DD):
 * 422 /problems/carrier-not-qualified whose detail says why and whose one error names the
 * request field (`field`, default body.carrierId) with the code unknown_carrier,
 * carrier_not_qualified or carrier_qualification_expired. Returns the carrier otherwise.
 * The calling function needs read access to the carriers table.
 */
export async function assertCarrierQualified(carrierId: string, onDate: string, options: { field?: string } = {}): Promise<Carrier> {
  let carrier: Carrier | undefined;
  try {
    carrier = await getCarrier(carrierId, true);
  } catch (err) {
    if (!(err instanceof HttpError && err.type === PROBLEM_TYPES.notFound)) throw err;
  }
  const problem = carrierQualificationProblem(carrier, carrierId, onDate);
  if (problem) {
    throw new HttpError(422, PROBLEM_TYPES.carrierNotQualified, 'Carrier not qualified', `R-FULFIL-6: transport uses pre-qualified carriers only; ${problem.message}`, [
      { field: options.field ?? 'body.carrierId', message: problem.message, code: problem.code },
    ]);
  }
  return carrier!;
}
