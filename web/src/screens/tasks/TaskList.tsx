/**
 * My tasks: every decision waiting for one of my roles (order review, special approval, price
 * lists, credit reviews and approvals, prepayments, credit notes, returns, reservations, samples,
 * safety stock), with what the decider needs to see, and approve / return / reject with a comment.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DateTimeText, Definition, LoadMore, Page as PageFrame, ProblemBox, SelectField, TextArea, TextField } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common, roleLabel } from '../../i18n/common.js';
import { decimalToMinor, defineMessages, useLocale, useT } from '../../i18n/index.js';

const m = defineMessages({
  title: ['我的待办', 'My tasks'],
  none: ['没有等待您决定的事项。', 'Nothing is waiting for your decision.'],
  approve: ['批准', 'Approve'],
  return: ['退回修改', 'Return for changes'],
  reject: ['拒绝', 'Reject'],
  decisionFor: ['决定：{title}', 'Decision on {title}'],
  commentRequired: ['退回或拒绝时请说明原因', 'Say why when you return or reject'],
  decided: ['已决定：{title}', 'Decided: {title}'],
  assignee: ['处理角色', 'For'],
  due: ['期限', 'Due'],
  since: ['收到时间', 'Received'],
  escalatedFrom: ['由 {role} 升级', 'Escalated from {role}'],
  open: ['打开', 'Open'],
  rating: ['信用等级', 'Credit rating'],
  creditLimit: ['信用额度', 'Credit limit'],
  paymentTermsDays: ['账期（天）', 'Payment terms (days)'],
  contractNumber: ['合同编号', 'Contract number'],
  contractFrom: ['合同生效', 'Contract from'],
  contractTo: ['合同到期', 'Contract to'],
  received: ['到账金额', 'Amount received'],
  reference: ['银行流水号/收据号', 'Bank reference or receipt'],
  receivedOn: ['到账日期', 'Received on'],
  'detail.reason': ['原因', 'Reason'],
  'detail.gross': ['含税金额', 'Gross'],
  'detail.rating': ['信用等级', 'Rating'],
  'detail.available': ['可用额度', 'Available'],
  'detail.customerName': ['客户', 'Customer'],
  'detail.customerId': ['客户编号', 'Customer no.'],
  'detail.overBy': ['超出额度', 'Over the limit by'],
  'detail.exposure': ['信用占用', 'Exposure'],
  'detail.limit': ['信用额度', 'Limit'],
  'detail.paymentMethod': ['付款方式', 'Payment method'],
  'detail.currency': ['币种', 'Currency'],
  'detail.ownerRepId': ['业务员', 'Sales rep'],
  'detail.round': ['审核轮次', 'Review round'],
  'detail.findings': ['审核发现', 'Findings'],
  'detail.lines': ['行数', 'Lines'],
  'detail.delivery': ['交货方式', 'Delivery'],
  'detail.requestedDeliveryDate': ['要求交货日期', 'Requested delivery'],
  'detail.amount': ['金额', 'Amount'],
  'detail.comment': ['备注', 'Comment'],
  'type.CREDIT_REVIEW': ['信用评审', 'Credit review'],
  'type.ORDER_REVIEW': ['订单审核', 'Order review'],
  'type.SPECIAL_APPROVAL': ['特批', 'Special approval'],
  'type.PRICE_LIST_REVIEW': ['价格表审核', 'Price list review'],
  'type.PRICE_LIST_APPROVAL': ['价格表批准', 'Price list approval'],
  'type.CREDIT_APPROVAL': ['超额度审批', 'Credit approval'],
  'type.PREPAYMENT_CONFIRMATION': ['预付款确认', 'Prepayment confirmation'],
  'type.GOODS_RESERVATION_APPROVAL': ['留货审批', 'Goods reservation'],
  'type.SAFETY_STOCK_APPROVAL': ['安全库存审批', 'Safety stock'],
  'type.SAMPLE_REQUEST_APPROVAL': ['样品/赠品审批', 'Samples and gifts'],
  'type.CREDIT_NOTE_APPROVAL': ['折让审批', 'Credit note'],
  'type.RETURN_APPROVAL': ['退货审批', 'Return'],
});

interface Task {
  taskId: string;
  type: string;
  status: string;
  assigneeRole: string;
  title: string;
  subject: { kind: string; id: string; name: string };
  details: Record<string, unknown>;
  createdAt: string;
  dueAt?: string;
  escalatedFrom?: string;
}

type Outcome = 'APPROVED' | 'RETURNED' | 'REJECTED';

/** Which outcomes each kind of task takes (the API's DECISIONS_BY_TYPE). */
function outcomesOf(type: string): Outcome[] {
  if (type === 'ORDER_REVIEW' || type === 'SPECIAL_APPROVAL') return ['APPROVED', 'RETURNED', 'REJECTED'];
  if (type === 'PRICE_LIST_REVIEW' || type === 'PRICE_LIST_APPROVAL') return ['APPROVED', 'RETURNED'];
  return ['APPROVED', 'REJECTED'];
}

/** Where the task's subject is shown in the console. */
function subjectLink(kind: string, id: string): string | undefined {
  const paths: Record<string, string> = { order: '/orders/', customer: '/customers/', creditNote: '/credit-notes/', return: '/returns/', priceList: '/price-lists/' };
  return paths[kind] ? `${paths[kind]}${encodeURIComponent(id)}` : undefined;
}

export function TaskList() {
  const { api } = useApp();
  const t = useT(m);
  const [decided, setDecided] = useState<string[]>([]);
  const list = usePaged<Task>((cursor, signal) => api.get<Page<Task>>(`/tasks?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal }), []);
  const open = list.items.filter((task) => !decided.includes(task.taskId));
  return (
    <PageFrame title={t('title')}>
      <ProblemBox error={list.error} />
      <div aria-live="polite">
        {decided.length ? (
          <p className="notice" role="status">
            {t('decided', { title: list.items.find((x) => x.taskId === decided[decided.length - 1])?.title ?? '' })}
          </p>
        ) : null}
      </div>
      {!list.loading && open.length === 0 ? <p className="muted">{t('none')}</p> : null}
      <ul className="task-list">
        {open.map((task) => (
          <li key={task.taskId}>
            <TaskCard task={task} onDecided={() => setDecided((d) => [...d, task.taskId])} />
          </li>
        ))}
      </ul>
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}

function TaskCard({ task, onDecided }: { task: Task; onDecided(): void }) {
  const { api, config } = useApp();
  const t = useT(m);
  const tc = useT(common);
  const { locale } = useLocale();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [credit, setCredit] = useState({ rating: 'B', creditLimit: '', paymentTermsDays: '30', contractNumber: '', contractFrom: '', contractTo: '' });
  const [prepayment, setPrepayment] = useState({ amount: '', reference: '', receivedOn: '' });
  const fields = error instanceof ApiError ? error.fields : {};
  const link = subjectLink(task.subject.kind, task.subject.id);
  const headingId = `task-${task.taskId}`;

  const extra = (outcome: Outcome): Record<string, unknown> => {
    if (outcome !== 'APPROVED') return {};
    if (task.type === 'CREDIT_REVIEW') {
      const limit = decimalToMinor(credit.creditLimit, config.currency);
      return {
        rating: credit.rating,
        creditLimit: limit === undefined ? credit.creditLimit : { amountMinor: limit, currency: config.currency },
        paymentTermsDays: Number(credit.paymentTermsDays),
        ...(credit.contractNumber ? { contract: { number: credit.contractNumber, validFrom: credit.contractFrom, validTo: credit.contractTo } } : {}),
      };
    }
    if (task.type === 'PREPAYMENT_CONFIRMATION') {
      const amount = decimalToMinor(prepayment.amount, config.currency);
      return { amount: amount === undefined ? prepayment.amount : { amountMinor: amount, currency: config.currency }, reference: prepayment.reference, receivedOn: prepayment.receivedOn };
    }
    return {};
  };

  const decide = async (outcome: Outcome) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/tasks/${task.taskId}/decision`, { outcome, ...(comment.trim() ? { comment: comment.trim() } : {}), ...extra(outcome) });
      onDecided();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card task" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>{task.title}</h2>
        <span className="badge">{t(`type.${task.type}` as keyof typeof m & string)}</span>
      </div>
      <Definition
        items={[
          [t('assignee'), roleLabel(locale, task.assigneeRole)],
          [t('since'), <DateTimeText key="s" value={task.createdAt} />],
          ...(task.dueAt ? ([[t('due'), <DateTimeText key="d" value={task.dueAt} />]] as [string, React.ReactNode][]) : []),
          ...(task.escalatedFrom ? ([[tc('status'), t('escalatedFrom', { role: roleLabel(locale, task.escalatedFrom) })]] as [string, string][]) : []),
          // Machine-only figures (…Minor) stay out; the formatted amounts beside them are shown.
          ...Object.entries(task.details)
            .filter(([k]) => !k.endsWith('Minor'))
            .map(([k, v]) => [`detail.${k}` in m ? t(`detail.${k}` as keyof typeof m & string) : k, <DetailValue key={k} value={v} />] as [string, React.ReactNode]),
        ]}
      />
      {link ? <Link to={link}>{t('open')}: {task.subject.id}</Link> : null}
      <form className="decision" onSubmit={(e) => e.preventDefault()} aria-label={t('decisionFor', { title: task.subject.id })}>
        {task.type === 'CREDIT_REVIEW' ? (
          <div className="form-grid">
            <SelectField label={t('rating')} value={credit.rating} onChange={(v) => setCredit({ ...credit, rating: v })} options={['A', 'B', 'C', 'D'].map((r) => ({ value: r, label: r }))} error={fields.rating} />
            <TextField label={`${t('creditLimit')} (${config.currency})`} inputMode="decimal" value={credit.creditLimit} onChange={(v) => setCredit({ ...credit, creditLimit: v })} error={fields.creditLimit ?? fields['creditLimit.amountMinor']} />
            <TextField label={t('paymentTermsDays')} inputMode="numeric" value={credit.paymentTermsDays} onChange={(v) => setCredit({ ...credit, paymentTermsDays: v })} error={fields.paymentTermsDays} />
            <TextField label={t('contractNumber')} value={credit.contractNumber} onChange={(v) => setCredit({ ...credit, contractNumber: v })} error={fields['contract.number']} />
            <TextField label={t('contractFrom')} type="date" value={credit.contractFrom} onChange={(v) => setCredit({ ...credit, contractFrom: v })} error={fields['contract.validFrom']} />
            <TextField label={t('contractTo')} type="date" value={credit.contractTo} onChange={(v) => setCredit({ ...credit, contractTo: v })} error={fields['contract.validTo']} />
          </div>
        ) : null}
        {task.type === 'PREPAYMENT_CONFIRMATION' ? (
          <div className="form-grid">
            <TextField label={`${t('received')} (${config.currency})`} inputMode="decimal" value={prepayment.amount} onChange={(v) => setPrepayment({ ...prepayment, amount: v })} error={fields.amount ?? fields['amount.amountMinor']} />
            <TextField label={t('reference')} value={prepayment.reference} onChange={(v) => setPrepayment({ ...prepayment, reference: v })} error={fields.reference} />
            <TextField label={t('receivedOn')} type="date" value={prepayment.receivedOn} onChange={(v) => setPrepayment({ ...prepayment, receivedOn: v })} error={fields.receivedOn} />
          </div>
        ) : null}
        <TextArea label={tc('comment')} value={comment} onChange={setComment} error={fields.comment} rows={2} />
        <small className="muted">{t('commentRequired')}</small>
        <ProblemBox error={error} />
        <div className="form-actions">
          {outcomesOf(task.type).map((outcome) => (
            <button key={outcome} type="button" className={outcome === 'APPROVED' ? '' : outcome === 'REJECTED' ? 'danger' : 'secondary'} disabled={busy} onClick={() => void decide(outcome)}>
              {t(outcome === 'APPROVED' ? 'approve' : outcome === 'RETURNED' ? 'return' : 'reject')}
            </button>
          ))}
        </div>
      </form>
    </article>
  );
}

function DetailValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <>—</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>—</>;
    return (
      <ul className="plain">
        {value.map((v, i) => (
          <li key={i}>{typeof v === 'object' ? (((v as Record<string, unknown>).message as string | undefined) ?? JSON.stringify(v)) : String(v)}</li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') return <code>{JSON.stringify(value)}</code>;
  return <>{String(value)}</>;
}
