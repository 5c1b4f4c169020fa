/**
 * Finance exports (R-AR-3): the daily and month-end ones and those asked for on demand, with their
 * status; finance starts one for a period (ledger, invoices, payments, the aging snapshot).
 */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, newIdempotencyKey, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, DateTimeText, LoadMore, Page as PageFrame, ProblemBox, Section, SelectField, StatusBadge, TextField } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { exportMessages as m } from './messages.js';
import { businessToday, type ExportRecord } from './shared.js';

export function ExportList() {
  const { api, can } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const list = usePaged<ExportRecord>((cursor, signal) => api.get<Page<ExportRecord>>(`/exports?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal }), []);
  return (
    <PageFrame title={t('title')}>
      {can('startExport') ? <StartExport /> : null}
      <ProblemBox error={list.error} />
      <DataTable
        caption={t('listCaption')}
        rows={list.items}
        rowKey={(x) => x.exportId}
        columns={[
          { header: t('exportId'), cell: (x) => <Link to={`/exports/${x.exportId}`}>{x.exportId}</Link>, className: 'nowrap' },
          { header: tc('status'), cell: (x) => <StatusBadge code={x.status} /> },
          { header: t('trigger'), cell: (x) => t(`trigger.${x.trigger}`), className: 'nowrap' },
          { header: t('kinds'), cell: (x) => x.kinds.map((k) => t(`kind.${k}`)).join('、') },
          { header: t('period'), cell: (x) => (x.period ? <span><DateText value={x.period.from} /> – <DateText value={x.period.to} /></span> : '—') },
          { header: t('asOf'), cell: (x) => <DateText value={x.asOf} />, className: 'nowrap' },
          { header: t('formats'), cell: (x) => x.formats.join(', ').toUpperCase(), className: 'nowrap' },
          { header: t('created'), cell: (x) => <span><DateTimeText value={x.createdAt} /> · {x.createdBy.name}</span> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}

const KINDS = ['all', 'ledger', 'invoices', 'payments', 'aging'] as const;
const FORMATS = ['both', 'csv', 'jsonl'] as const;

function StartExport() {
  const { api, config } = useApp();
  const t = useT(m);
  const navigate = useNavigate();
  const today = businessToday(config.timeZone);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [kind, setKind] = useState<string>('all');
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [asOf, setAsOf] = useState('');
  const [format, setFormat] = useState<string>('both');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Section title={t('startTitle')}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          api
            .post<ExportRecord>('/exports', { kind, format, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(asOf ? { asOf } : {}) }, { idempotencyKey })
            .then((x) => navigate(`/exports/${x.exportId}`, { state: { notice: 'started' } }), setError)
            .finally(() => setBusy(false));
        }}
      >
        <div className="form-grid">
          <SelectField label={t('kind')} name="kind" value={kind} onChange={setKind} options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} error={fields.kind} />
          <TextField label={t('from')} name="from" type="date" value={from} onChange={setFrom} hint={t('periodHint')} error={fields.from} />
          <TextField label={t('to')} name="to" type="date" value={to} onChange={setTo} error={fields.to} />
          <TextField label={t('asOf')} name="asOf" type="date" value={asOf} onChange={setAsOf} hint={t('asOfHint')} error={fields.asOf} />
          <SelectField label={t('format')} name="format" value={format} onChange={setFormat} options={FORMATS.map((f) => ({ value: f, label: t(`format.${f}`) }))} error={fields.format} />
        </div>
        <ProblemBox error={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy} aria-busy={busy}>
            {t('start')}
          </button>
        </div>
      </form>
    </Section>
  );
}
