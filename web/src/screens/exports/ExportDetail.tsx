/**
 * One finance export: what it covers, its status (read again every few seconds while it runs) and,
 * once done, its manifest — every file with rows, size and SHA-256 — with download links the API
 * signs for a short time (presigned S3 URLs in the cloud, signed local URLs locally).
 */
import { useEffect, type ReactNode } from 'react';
import { useLocation, useParams } from 'react-router';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, DateTimeText, Definition, Loading, Page as PageFrame, ProblemBox, Section, StatusBadge } from '../../components/ui.js';
import { useResource } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { useLocale, useT } from '../../i18n/index.js';
import { exportMessages as m } from './messages.js';
import type { ExportView } from './shared.js';

const POLL_MS = 2000;

export function ExportDetail() {
  const { exportId = '' } = useParams();
  const { api } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const { fmt } = useLocale();
  const location = useLocation();
  const notice = (location.state as { notice?: 'started' } | null)?.notice;
  const record = useResource((signal) => api.get<ExportView>(`/exports/${encodeURIComponent(exportId)}`, { signal }), [exportId]);
  const running = record.data?.status === 'RUNNING';
  const { reload, loading } = record;

  useEffect(() => {
    if (!running || loading) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [running, loading, reload]);

  if (!record.data) return record.error ? <ProblemBox error={record.error} /> : <Loading />;
  const x = record.data;
  return (
    <PageFrame
      title={
        <>
          {x.exportId} <StatusBadge code={x.status} />
        </>
      }
      subtitle={t(`trigger.${x.trigger}`)}
    >
      <div aria-live="polite">
        {notice && running ? <p className="notice">{t('started')}</p> : null}
        {running ? <p className="muted">{t('running')}</p> : null}
      </div>
      <ProblemBox error={record.error} />
      <Section title={tc('details')}>
        <Definition
          items={[
            [t('kinds'), x.kinds.map((k) => t(`kind.${k}`)).join('、')],
            [t('period'), x.period ? <span key="p"><DateText value={x.period.from} /> – <DateText value={x.period.to} /></span> : '—'],
            [t('asOf'), <DateText key="a" value={x.asOf} />],
            [t('formats'), x.formats.join(', ').toUpperCase()],
            [t('created'), <span key="c"><DateTimeText value={x.createdAt} /> · {x.createdBy.name}</span>],
            [t('startedAt'), <DateTimeText key="s" value={x.startedAt} />],
            [t('finishedAt'), <DateTimeText key="f" value={x.finishedAt} />],
            ...(x.location ? ([[t('location'), <code key="l">{x.location}</code>]] as [string, ReactNode][]) : []),
            ...(x.failure ? ([[t('failure'), <span key="why" className="field-error">{x.failure}</span>]] as [string, ReactNode][]) : []),
          ]}
        />
      </Section>
      <Section title={t('files')}>
        {x.urlsExpireAt ? <p className="muted">{t('urlsExpire', { at: fmt.dateTime(x.urlsExpireAt) })}</p> : null}
        <DataTable
          caption={t('filesCaption')}
          rows={x.files}
          rowKey={(f) => f.name}
          empty={t('noFiles')}
          columns={[
            {
              header: t('fileName'),
              cell: (f) => (
                <a href={f.url} download={f.name} aria-label={t('download', { name: f.name })}>
                  {f.name}
                </a>
              ),
            },
            { header: t('kinds'), cell: (f) => t(`kind.${f.kind}`) },
            { header: t('format'), cell: (f) => f.format.toUpperCase() },
            { header: t('rows'), cell: (f) => fmt.number(f.rows), className: 'num' },
            { header: t('size'), cell: (f) => t('bytes', { n: fmt.number(f.bytes) }), className: 'num' },
            { header: t('sha256'), cell: (f) => <code className="hash">{f.sha256}</code> },
          ]}
        />
        {x.manifest ? (
          <p>
            <a className="button secondary" href={x.manifest.url} download={x.manifest.name}>
              {t('downloadManifest')}
            </a>
          </p>
        ) : null}
      </Section>
    </PageFrame>
  );
}
