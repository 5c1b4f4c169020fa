/**
 * Receivables (应收账款, R-AR-1/2): the open invoices of a day by bucket of days past due, as a
 * chart with the same figures in a table, per customer, sales rep or region, with the customer
 * credit (预收款: unapplied payments and credit notes, R-BILL-3) beside the buckets, never in them,
 * and net receivables = open invoices − customer credit; what is overdue, down to the invoices; and
 * the overdue alerts the daily job sent (topic receivable-alert).
 */
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, DateTimeText, LoadMore, Money, Page as PageFrame, ProblemBox, Section, SelectField, TextField, type Column } from '../../components/ui.js';
import { usePaged, useResource } from '../../hooks.js';
import { common, roleLabel } from '../../i18n/common.js';
import { defineMessages, useLocale, useT } from '../../i18n/index.js';
import { LedgerLink, Nowrap, bucketLabel, businessToday, daysBetween, financeMessages, type AgingReport, type Invoice, useDraft } from './shared.js';

const m = defineMessages({
  title: ['应收账款', 'Receivables'],
  asOf: ['截止日期', 'As of'],
  groupBy: ['汇总维度', 'Group by'],
  'groupBy.customer': ['按客户', 'By customer'],
  'groupBy.rep': ['按业务员', 'By sales rep'],
  'groupBy.region': ['按区域', 'By region'],
  show: ['查询', 'Show'],
  aging: ['账龄分析', 'Aging'],
  chartTitle: ['应收账款账龄分布（截至 {date}）', 'Receivables by age as of {date}'],
  chartDesc: ['应收合计 {total}。{parts}。另有预收款（未核销）{credit}，不属于任何账龄段；应收净额 {net}。', 'Total open {total}. {parts}. Besides, customer credit {credit}, in no age bucket; net receivables {net}.'],
  chartPart: ['{bucket}：{amount}，{n} 张发票', '{bucket}: {amount}, {n} invoices'],
  chartPartsJoin: ['；', '; '],
  figuresCaption: ['各账龄段金额、预收款与应收净额（与图表相同）', 'Amounts per age bucket, customer credit and net receivables (the chart’s figures)'],
  bucket: ['账龄段', 'Age bucket'],
  invoices: ['发票数', 'Invoices'],
  share: ['占比', 'Share'],
  total: ['合计', 'Total'],
  openTotal: ['未付发票合计', 'Open invoices'],
  customerCredit: ['预收款（未核销）', 'Customer credit'],
  lessCustomerCredit: ['减：预收款（未核销）', 'Less customer credit'],
  net: ['应收净额', 'Net receivables'],
  netHint: ['应收净额 = 未付发票合计 − 预收款（未核销）；预收款是已收未核销的款项和留作预收款的折让，不计入账龄段。', 'Net receivables = open invoices − customer credit. Customer credit (payments not yet applied, credit notes kept as credit) is in no age bucket.'],
  rows: ['明细', 'Breakdown'],
  rowsCaption: ['{groupBy}的应收账款账龄（金额从大到小）', 'Receivables aging {groupBy}, largest first'],
  group: ['名称', 'Name'],
  overdue: ['逾期款项', 'Overdue'],
  overdueRowsCaption: ['有逾期金额的{groupBy}', 'Rows with an overdue amount ({groupBy})'],
  overdueAmount: ['逾期金额', 'Overdue amount'],
  overdueInvoicesCount: ['逾期发票', 'Overdue invoices'],
  oldest: ['最长账龄', 'Oldest bucket'],
  overdueInvoices: ['逾期发票明细', 'Overdue invoices'],
  overdueInvoicesCaption: ['截至 {date} 已过到期日的未付发票（最早到期在前）', 'Open invoices past their due date on {date}, oldest due first'],
  overdueInvoicesToday: ['逾期发票明细按当前未收金额列出，仅在截止日期为今天时显示。', 'The overdue invoices are listed with what is open now, so only for today’s date.'],
  overdueInvoicesCapped: ['仅列出逾期金额最大的 {n} 个客户的发票。', 'Only the invoices of the {n} customers with the most overdue are listed.'],
  alerts: ['已发送的逾期提醒', 'Overdue alerts sent'],
  alertsCaption: ['发送给您或您的角色的应收账款提醒（最新在前）', 'Receivable alerts sent to you or your roles, newest first'],
  sentAt: ['发送时间', 'Sent'],
  recipient: ['接收人', 'To'],
  subject: ['主题', 'Subject'],
  noOverdue: ['没有逾期款项。', 'Nothing is overdue.'],
});

type GroupBy = AgingReport['groupBy'];
const GROUP_BYS: GroupBy[] = ['customer', 'rep', 'region'];
const NOT_DUE = 'not due';
const OVERDUE_CUSTOMERS_SHOWN = 20;

interface Notification {
  notificationId: string;
  recipient: string;
  subject: string;
  body: string;
  topic: string;
  createdAt: string;
  link?: string;
}

const overdueOf = (buckets: AgingReport['totals']) => buckets.filter((b) => b.bucket !== NOT_DUE).reduce((s, b) => ({ minor: s.minor + b.amount.amountMinor, invoices: s.invoices + b.invoices }), { minor: 0, invoices: 0 });

export function Receivables() {
  const { api, config, can } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const today = businessToday(config.timeZone);
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') || today;
  const groupByParam = params.get('groupBy') as GroupBy | null;
  const groupBy: GroupBy = groupByParam && GROUP_BYS.includes(groupByParam) ? groupByParam : 'customer';
  const [draft, setDraft] = useDraft({ asOf, groupBy }, params.toString());
  const report = useResource((signal) => api.get<AgingReport>(`/receivables/aging${query({ asOf, groupBy })}`, { signal }), [asOf, groupBy]);
  const r = report.data?.asOf === asOf && report.data.groupBy === groupBy ? report.data : undefined;
  const groupWords = t(`groupBy.${groupBy}`);
  const currency = r?.total.currency ?? config.currency;

  const bucketColumns: Column<AgingReport['groups'][number]>[] = (r?.buckets ?? []).map((b, i) => ({
    header: bucketLabel(tf, b),
    cell: (g) => <Money value={g.buckets[i]?.amount} />,
    className: 'num',
  }));
  const overdueRows = (r?.groups ?? []).map((g) => ({ g, overdue: overdueOf(g.buckets), oldest: [...g.buckets].reverse().find((b) => b.amount.amountMinor > 0) })).filter((x) => x.overdue.minor > 0);

  return (
    <PageFrame title={t('title')}>
      <form
        className="filters no-print"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(new URLSearchParams({ asOf: draft.asOf || today, groupBy: draft.groupBy }));
        }}
      >
        <TextField label={t('asOf')} type="date" value={draft.asOf} onChange={(v) => setDraft({ ...draft, asOf: v })} />
        <SelectField label={t('groupBy')} value={draft.groupBy} onChange={(v) => setDraft({ ...draft, groupBy: v as GroupBy })} options={GROUP_BYS.map((g) => ({ value: g, label: t(`groupBy.${g}`) }))} />
        <div className="filter-buttons">
          <button type="submit">{t('show')}</button>
        </div>
      </form>
      <ProblemBox error={report.error} />
      {r ? (
        <>
          <Section title={`${t('aging')} · ${groupWords}`}>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 30rem), 1fr))', gap: '1rem', alignItems: 'start' }}>
              <AgingChart report={r} />
              <DataTable
                caption={t('figuresCaption')}
                rows={[
                  ...r.totals.map((b) => ({ ...b, row: 'bucket' as const })),
                  { row: 'total' as const, bucket: '', amount: r.total, invoices: r.totals.reduce((s, b) => s + b.invoices, 0) },
                  { row: 'credit' as const, bucket: '', amount: r.customerCredit, invoices: undefined },
                  { row: 'net' as const, bucket: '', amount: r.net, invoices: undefined },
                ]}
                rowKey={(b) => (b.row === 'bucket' ? b.bucket : b.row)}
                columns={[
                  {
                    header: t('bucket'),
                    cell: (b) => (b.row === 'bucket' ? bucketLabel(tf, b.bucket) : b.row === 'credit' ? t('lessCustomerCredit') : <strong>{b.row === 'net' ? t('net') : t('openTotal')}</strong>),
                  },
                  { header: t('invoices'), cell: (b) => b.invoices ?? '—', className: 'num' },
                  { header: tc('amount'), cell: (b) => (b.row === 'bucket' || b.row === 'credit' ? <Money value={b.amount} /> : <strong><Money value={b.amount} /></strong>), className: 'num' },
                  { header: t('share'), cell: (b) => (b.row === 'bucket' ? <Share part={b.amount.amountMinor} whole={r.total.amountMinor} /> : '—'), className: 'num' },
                ]}
              />
            </div>
            <p className="muted">{t('netHint')}</p>
          </Section>
          <Section title={t('rows')}>
            <DataTable
              caption={t('rowsCaption', { groupBy: groupWords })}
              focusable
              rows={[...r.groups, { key: '', name: '', total: r.total, buckets: r.totals, customerCredit: r.customerCredit, net: r.net }]}
              rowKey={(g) => g.key || 'total'}
              columns={[
                { header: t('group'), cell: (g) => (g.key ? <GroupName groupBy={groupBy} name={g.name} groupKey={g.key} /> : <strong>{t('total')}</strong>) },
                ...bucketColumns,
                { header: t('openTotal'), cell: (g) => <strong><Money value={g.total} /></strong>, className: 'num' },
                { header: t('customerCredit'), cell: (g) => <Money value={g.customerCredit} />, className: 'num' },
                { header: t('net'), cell: (g) => <strong><Money value={g.net} /></strong>, className: 'num' },
              ]}
            />
          </Section>
          <Section title={t('overdue')}>
            <DataTable
              caption={t('overdueRowsCaption', { groupBy: groupWords })}
              rows={overdueRows}
              rowKey={(x) => x.g.key}
              empty={t('noOverdue')}
              columns={[
                { header: t('group'), cell: (x) => <GroupName groupBy={groupBy} name={x.g.name} groupKey={x.g.key} /> },
                { header: t('overdueInvoicesCount'), cell: (x) => x.overdue.invoices, className: 'num' },
                { header: t('oldest'), cell: (x) => (x.oldest ? bucketLabel(tf, x.oldest.bucket) : '—') },
                { header: t('overdueAmount'), cell: (x) => <Money value={{ amountMinor: x.overdue.minor, currency }} />, className: 'num' },
              ]}
            />
            {can('listInvoices') ? asOf >= today ? <OverdueInvoices asOf={asOf} report={r} /> : <p className="muted">{t('overdueInvoicesToday')}</p> : null}
          </Section>
        </>
      ) : null}
      {can('listNotifications') ? <Alerts /> : null}
    </PageFrame>
  );
}

function Share({ part, whole }: { part: number; whole: number }) {
  const { locale } = useLocale();
  if (!whole) return <>—</>;
  return <>{new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(part / whole)}</>;
}

function GroupName({ groupBy, name, groupKey }: { groupBy: GroupBy; name: string; groupKey: string }) {
  if (groupBy !== 'customer') return <>{name}</>;
  return (
    <>
      <LedgerLink customerId={groupKey}>{name}</LedgerLink> <span className="muted">{groupKey}</span>
    </>
  );
}

/** Bar colours from not due (green) to the oldest bucket (red); each ≥ 3:1 against white. */
const BAR_COLOURS = ['#1d6b36', '#0b5cad', '#8a5300', '#b4400b', '#a61b1b', '#7a1010'];

/**
 * The aging as bars per bucket, drawn by hand: an image with a title and a description for assistive
 * tech. The customer credit is no bucket: it is drawn below a rule, beside the buckets rather than
 * among them, as an outlined, hatched bar on the same scale, and the net receivables under it.
 */
function AgingChart({ report }: { report: AgingReport }) {
  const t = useT(m);
  const tf = useT(financeMessages);
  const { fmt } = useLocale();
  const id = useId();
  const rowHeight = 40;
  const labelWidth = 150;
  const amountWidth = 140;
  const width = 540;
  const plot = width - labelWidth - amountWidth;
  const bucketsHeight = report.totals.length * rowHeight + 8;
  const gap = 12;
  const height = bucketsHeight + gap + 2 * rowHeight + 4;
  const max = Math.max(1, ...report.totals.map((b) => b.amount.amountMinor), report.customerCredit.amountMinor);
  // Pixels only: the amounts themselves stay integer minor units.
  const barOf = (minor: number) => (minor > 0 ? Math.max(2, (minor / max) * plot) : 0);
  const parts = report.totals.map((b) => t('chartPart', { bucket: bucketLabel(tf, b.bucket), amount: fmt.money(b.amount), n: b.invoices })).join(t('chartPartsJoin'));
  const creditY = bucketsHeight + gap;
  const netY = creditY + rowHeight;
  const text = { dominantBaseline: 'middle', fontSize: '15', fill: '#1c2430' } as const;
  // useId's colons are no use in url(#…): the pattern's id keeps letters, digits and dashes only.
  const hatch = `${id.replace(/[^\w-]/g, '')}-hatch`;
  return (
    <figure className="card" style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-title`}>{t('chartTitle', { date: fmt.date(report.asOf) })}</title>
        <desc id={`${id}-desc`}>{t('chartDesc', { total: fmt.money(report.total), parts, credit: fmt.money(report.customerCredit), net: fmt.money(report.net) })}</desc>
        <defs>
          <pattern id={hatch} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="8" stroke="#4f5b6b" strokeWidth="3" />
          </pattern>
        </defs>
        {report.totals.map((b, i) => {
          const y = i * rowHeight + 8;
          return (
            <g key={b.bucket}>
              <text x={labelWidth - 8} y={y + rowHeight / 2} textAnchor="end" {...text}>
                {bucketLabel(tf, b.bucket)}
              </text>
              <rect x={labelWidth} y={y + 8} width={plot} height={rowHeight - 16} fill="#f3f5f8" />
              <rect x={labelWidth} y={y + 8} width={barOf(b.amount.amountMinor)} height={rowHeight - 16} fill={BAR_COLOURS[Math.min(i, BAR_COLOURS.length - 1)]} />
              <text x={labelWidth + plot + 8} y={y + rowHeight / 2 - 1} {...text} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {fmt.money(b.amount)}
              </text>
            </g>
          );
        })}
        <line x1={labelWidth} x2={labelWidth} y1={4} y2={bucketsHeight} stroke="#4f5b6b" />
        <line x1={8} x2={width - 8} y1={bucketsHeight + gap / 2} y2={bucketsHeight + gap / 2} stroke="#4f5b6b" strokeDasharray="4 3" />
        <g>
          <text x={labelWidth - 8} y={creditY + rowHeight / 2} textAnchor="end" {...text}>
            {t('customerCredit')}
          </text>
          <rect x={labelWidth} y={creditY + 8} width={barOf(report.customerCredit.amountMinor)} height={rowHeight - 16} fill={`url(#${hatch})`} stroke="#4f5b6b" />
          <text x={labelWidth + plot + 8} y={creditY + rowHeight / 2 - 1} {...text} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {fmt.money(report.customerCredit)}
          </text>
        </g>
        <g>
          <text x={labelWidth - 8} y={netY + rowHeight / 2} textAnchor="end" {...text} fontWeight="bold">
            {t('net')}
          </text>
          <text x={labelWidth + plot + 8} y={netY + rowHeight / 2 - 1} {...text} fontWeight="bold" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {fmt.money(report.net)}
          </text>
        </g>
      </svg>
      <figcaption className="muted">{t('chartTitle', { date: fmt.date(report.asOf) })}</figcaption>
    </figure>
  );
}

/**
 * The invoices behind the overdue amounts: the open invoices of the customers with something
 * overdue (the aging by customer), past their due date on `asOf`.
 */
function OverdueInvoices({ asOf, report }: { asOf: string; report: AgingReport }) {
  const { api } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const { fmt } = useLocale();
  const invoices = useResource(
    async (signal) => {
      const byCustomer = report.groupBy === 'customer' ? report : await api.get<AgingReport>(`/receivables/aging${query({ asOf, groupBy: 'customer' })}`, { signal });
      const customers = byCustomer.groups.filter((g) => overdueOf(g.buckets).minor > 0);
      const shown = [...customers].sort((a, b) => overdueOf(b.buckets).minor - overdueOf(a.buckets).minor).slice(0, OVERDUE_CUSTOMERS_SHOWN);
      const pages = await Promise.all(shown.map((g) => api.get<Page<Invoice>>(`/invoices${query({ customerId: g.key, status: 'OPEN', limit: 100 })}`, { signal })));
      const overdue = pages.flatMap((p) => p.items).filter((i) => i.dueDate < asOf);
      return { overdue: overdue.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoiceId.localeCompare(b.invoiceId)), capped: customers.length > shown.length };
    },
    [asOf, report.groupBy, report.asOf, report.total.amountMinor],
  );
  return (
    <>
      <h3>{t('overdueInvoices')}</h3>
      <ProblemBox error={invoices.error} />
      <DataTable
        caption={t('overdueInvoicesCaption', { date: fmt.date(asOf) })}
        rows={invoices.data?.overdue ?? []}
        rowKey={(i) => i.invoiceId}
        empty={invoices.loading ? tc('loading') : t('noOverdue')}
        columns={[
          { header: tf('invoiceNo'), cell: (i) => <Link to={`/invoices/${i.invoiceId}`}>{i.invoiceId}</Link> },
          { header: tc('customer'), cell: (i) => <LedgerLink customerId={i.customerId}>{i.customerName}</LedgerLink> },
          { header: tf('rep'), cell: (i) => i.ownerRepId },
          { header: tf('dueDate'), cell: (i) => <DateText value={i.dueDate} /> },
          { header: tf('daysPastDue'), cell: (i) => daysBetween(i.dueDate, asOf), className: 'num' },
          { header: tf('outstanding'), cell: (i) => <Money value={i.outstanding} />, className: 'num' },
        ]}
      />
      {invoices.data?.capped ? <p className="muted">{t('overdueInvoicesCapped', { n: OVERDUE_CUSTOMERS_SHOWN })}</p> : null}
    </>
  );
}

/** The overdue alerts in the caller's outbox (R-AR-2: to the rep, finance, and above 30 days the VP sales). */
function Alerts() {
  const { api } = useApp();
  const t = useT(m);
  const { locale } = useLocale();
  const list = usePaged<Notification>(
    (cursor, signal) =>
      api.get<Page<Notification>>(`/notifications${query({ limit: 100, cursor })}`, { signal }).then((page) => ({ ...page, items: page.items.filter((n) => n.topic === 'receivable-alert') })),
    [],
  );
  return (
    <Section title={t('alerts')}>
      <ProblemBox error={list.error} />
      <DataTable
        caption={t('alertsCaption')}
        rows={list.items}
        rowKey={(n) => n.notificationId}
        columns={[
          { header: t('sentAt'), cell: (n) => <DateTimeText value={n.createdAt} /> },
          { header: t('subject'), cell: (n) => (n.link ? <Link to={n.link}>{n.subject}</Link> : n.subject) },
          { header: <Nowrap>{t('recipient')}</Nowrap>, cell: (n) => <Nowrap>{n.recipient.startsWith('role:') ? roleLabel(locale, n.recipient.slice(5)) : n.recipient.replace(/^user:/, '')}</Nowrap> },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </Section>
  );
}

