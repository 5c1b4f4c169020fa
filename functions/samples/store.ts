/** Sample and gift request persistence: versioned items with history, listed by status. */
import { subjectOf } from '../shared/audit.js';
import { nextInSequence, partitionPage, withoutKeys } from '../shared/dynamo.js';
import { formatNumber } from '../shared/ids.js';
import { versionedStore } from '../shared/versioned.js';
import type { SampleRequest, SampleRequestStatus } from './schemas.js';

const fromItem = (item: Record<string, unknown>) => withoutKeys(item, ['createdKey']) as SampleRequest;

export const sampleSubject = (requestId: string) => subjectOf('sampleRequest', requestId);

const store = versionedStore<SampleRequest>({
  table: 'sampleRequests',
  key: 'requestId',
  noun: 'sample request',
  subject: sampleSubject,
  toItem: (r) => ({ ...r, createdKey: `${r.createdAt}#${r.requestId}` }),
  fromItem,
});

export const { get: getSampleRequest, insert: insertSampleRequest, replace: replaceSampleRequest, replaceItems: sampleReplaceItems } = store;

export async function nextSampleRequestNumber(): Promise<string> {
  return formatNumber('SR', await nextInSequence('sampleRequest'));
}

/** Requests in a status, oldest first (the warehouse's list of approved ones to issue). */
export async function listSampleRequests(status: SampleRequestStatus, page: { limit: number; cursor?: string }) {
  return partitionPage({ table: 'sampleRequests', index: 'byStatus', partition: ['status', status], page, map: fromItem });
}
