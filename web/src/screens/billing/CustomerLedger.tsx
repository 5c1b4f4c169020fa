/**
 * A customer's ledger (客户往来账, R-BILL-5): what the customer owes, the customer credit (paid and
 * not yet allocated), and the append-only entries, newest first, each with the balance after it.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { query, type Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DataTable, DateText, Definition, LoadMore, Money, Page as PageFrame, ProblemBox, Section } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { common } from '../../i18n/common.js';
import { defineMessages, useLocale, useT, type MoneyValue } from '../../i18n/index.js';
import { Nowrap, ReferenceLink, financeMessages, kindLabel, type LedgerEntry } from './shared.js';

const m = defineMessages({
  title: ['客户往来账', 'Customer ledger'],
  summary: ['余额', 'Balance'],
  balance: ['应收余额', 'Balance owed'],
  customerCredit: ['预收款（未核销）', 'Customer credit (unallocated)'],
  balanceHint: ['应收余额 = 未付发票合计 − 预收款', 'Balance = open invoices − customer credit'],
  entriesCaption: ['往来明细（最新在前）：正数增加应收，负数减少应收；余额为该笔之后', 'Entries, newest first: + the customer owes more, − less; the balance after each'],
  kindAndReference: ['类型 / 单据号', 'Kind / reference'],
  seq: ['序号', 'No.'],
  kind: ['类型', 'Kind'],
  description: ['摘要', 'Description'],
  amount: ['发生额', 'Amount'],
  balanceAfter: ['余额', 'Balance'],
  by: ['经办人：', 'By'],
  allocated: ['核销：{list}', 'Allocated: {list}'],
  invoices: ['发票', 'Invoices'],
  statements: ['对账单', 'Statements'],
  creditNotes: ['折让单', 'Credit notes'],
  returns: ['退货', 'Returns'],
});

interface LedgerPage {
  customerId: string;
  balance: MoneyValue;
  customerCredit: MoneyValue;
  entries: LedgerEntry[];
  nextCursor: string | null;
}

export function CustomerLedger() {
  const { customerId = '' } = useParams();
  const { api, can } = useApp();
  const t = useT(m);
  const tf = useT(financeMessages);
  const tc = useT(common);
  const { fmt } = useLocale();
  const [head, setHead] = useState<{ customerId: string; balance: MoneyValue; customerCredit: MoneyValue }>();
  const list = usePaged<LedgerEntry>(
    (cursor, signal) =>
      api.get<LedgerPage>(`/customers/${encodeURIComponent(customerId)}/ledger${query({ limit: 50, cursor })}`, { signal }).then((page): Page<LedgerEntry> => {
        if (!cursor) setHead({ customerId: page.customerId, balance: page.balance, customerCredit: page.customerCredit });
        return { items: page.entries, nextCursor: page.nextCursor };
      }),
    [customerId],
  );
  const shown = head?.customerId === customerId ? head : undefined;
  const links: [string, string, ReturnType<typeof t>][] = [
    ['listInvoices', `/invoices?customerId=${customerId}`, t('invoices')],
    ['listStatements', `/statements?customerId=${customerId}`, t('statements')],
    ['listCreditNotes', `/credit-notes?customerId=${customerId}`, t('creditNotes')],
    ['listReturns', `/returns?customerId=${customerId}`, t('returns')],
  ];

  return (
    <PageFrame
      title={`${t('title')} · ${customerId}`}
      subtitle={can('getCustomer') ? <Link to={`/customers/${customerId}`}>{tc('customer')} {customerId}</Link> : null}
      actions={links
        .filter(([op]) => can(op))
        .map(([op, to, label]) => (
          <Link key={op} className="button secondary" to={to}>
            {label}
          </Link>
        ))}
    >
      <Section title={t('summary')}>
        <Definition
          items={[
            [t('balance'), <strong key="b"><Money value={shown?.balance} /></strong>],
            [t('customerCredit'), <Money key="c" value={shown?.customerCredit} />],
          ]}
        />
        <p className="muted">{t('balanceHint')}</p>
      </Section>
      <ProblemBox error={list.error} />
      <DataTable
        caption={t('entriesCaption')}
        rows={list.items}
        rowKey={(e) => String(e.seq)}
        columns={[
          { header: t('seq'), cell: (e) => e.seq, className: 'num' },
          { header: tc('date'), cell: (e) => <DateText value={e.on} /> },
          {
            header: t('kindAndReference'),
            cell: (e) => (
              <>
                {kindLabel(tf, e.kind)}
                <br />
                <Nowrap>
                  <ReferenceLink reference={e.reference} />
                </Nowrap>
              </>
            ),
          },
          {
            header: t('description'),
            cell: (e) => (
              <>
                {e.description}
                {e.allocations && (e.allocations.length > 1 || e.kind === 'ALLOCATION' || e.kind === 'REVERSAL') ? (
                  <div className="muted">
                    {t('allocated', { list: e.allocations.map((a) => `${a.invoiceId} ${fmt.money(a.amount)}`).join('; ') })}
                  </div>
                ) : null}
                <div className="muted">
                  {t('by')} {e.by.name}
                </div>
              </>
            ),
          },
          { header: t('amount'), cell: (e) => <Money value={e.amount} />, className: 'num' },
          { header: t('balanceAfter'), cell: (e) => <Money value={e.balanceAfter} />, className: 'num' },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}
