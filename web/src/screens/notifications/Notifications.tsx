/**
 * The notifications outbox: what was sent to me or to one of my roles (reminders, alerts,
 * decisions waiting), newest first, with a link to what it is about where the console has it.
 */
import { Link, matchPath } from 'react-router';
import type { Notification } from '../../../../functions/notifications/schemas.js';
import type { Page } from '../../api.js';
import { useApp } from '../../app-context.js';
import { DateTimeText, LoadMore, Loading, Page as PageFrame, ProblemBox } from '../../components/ui.js';
import { usePaged } from '../../hooks.js';
import { roleLabel } from '../../i18n/common.js';
import { defineMessages, useLocale, useT } from '../../i18n/index.js';
import { SCREENS } from '../registry.js';

const m = defineMessages({
  title: ['通知', 'Notifications'],
  intro: ['发给您本人或您所属角色的通知，最新在前。', 'Sent to you or to one of your roles, newest first.'],
  none: ['暂无通知。', 'No notifications.'],
  to: ['发送给', 'To'],
  you: ['您本人', 'You'],
  topic: ['类别', 'About'],
  open: ['打开相关页面', 'Open'],
  'topic.approval': ['待审批', 'Approval'],
  'topic.cash-collection': ['催收', 'Cash collection'],
  'topic.credit-hold': ['信用冻结', 'Credit hold'],
  'topic.credit-note': ['折让单', 'Credit note'],
  'topic.credit-profile': ['信用档案', 'Credit profile'],
  'topic.credit-review': ['信用评审', 'Credit review'],
  'topic.delivery-note': ['发货单', 'Delivery note'],
  'topic.goods-reservation': ['留货', 'Goods reservation'],
  'topic.invoice': ['发票', 'Invoice'],
  'topic.order-assignment': ['订单分派', 'Order assignment'],
  'topic.order-change': ['订单变更', 'Order change'],
  'topic.order-credit': ['订单信用', 'Order credit'],
  'topic.order-exception': ['订单异常', 'Order exception'],
  'topic.order-fulfilment': ['订单执行', 'Order fulfilment'],
  'topic.order-review': ['订单审核', 'Order review'],
  'topic.payment': ['收款', 'Payment'],
  'topic.price-list': ['价格表', 'Price list'],
  'topic.receivable-alert': ['应收预警', 'Receivable alert'],
  'topic.report': ['报表', 'Report'],
  'topic.return': ['退货', 'Return'],
  'topic.safety-stock': ['安全库存', 'Safety stock'],
  'topic.sample-request': ['样品申请', 'Sample request'],
  'topic.statement': ['对账单', 'Statement'],
  'topic.supply-request': ['生产/采购申请', 'Supply request'],
});

/** The API's link as a console route: the list for a task or a request, the stock page for safety stock. */
function consolePath(link: string): string {
  const path = link.split('?')[0] ?? link;
  if (path.startsWith('/tasks/')) return '/tasks';
  if (path.startsWith('/supply-requests/')) return '/supply-requests';
  const safety = /^\/stock\/([^/]+)\/safety-stock$/.exec(path);
  if (safety) return `/stock/${safety[1]}`;
  return link;
}

export function Notifications() {
  const { api, can } = useApp();
  const t = useT(m);
  const { locale } = useLocale();
  const list = usePaged<Notification>((cursor, signal) => api.get<Page<Notification>>(`/notifications?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal }), []);

  /** Only links the console can open for this user; others show no link. */
  const routeOf = (link: string | undefined): string | undefined => {
    if (!link) return undefined;
    const to = consolePath(link);
    const pathname = to.split('?')[0] ?? to;
    const screen = SCREENS.find((s) => matchPath({ path: `/${s.path}`, end: true }, pathname));
    return screen && (!screen.operationId || can(screen.operationId)) ? to : undefined;
  };
  const recipient = (r: string) => (r.startsWith('role:') ? roleLabel(locale, r.slice(5)) : t('you'));
  const topic = (code: string) => (`topic.${code}` in m ? t(`topic.${code}` as keyof typeof m & string) : code);

  return (
    <PageFrame title={t('title')} subtitle={t('intro')}>
      <ProblemBox error={list.error} />
      {list.loading && list.items.length === 0 ? <Loading /> : null}
      {!list.loading && !list.error && list.items.length === 0 ? <p className="muted">{t('none')}</p> : null}
      <ol className="notification-list">
        {list.items.map((n) => {
          const to = routeOf(n.link);
          return (
            <li key={n.notificationId}>
              <article className="card" aria-labelledby={`nt-${n.notificationId}`}>
                <div className="card-header">
                  <h2 id={`nt-${n.notificationId}`}>{n.subject}</h2>
                  <span className="badge">{topic(n.topic)}</span>
                </div>
                <p className="notification-meta muted">
                  <DateTimeText value={n.createdAt} /> · {t('to')} {recipient(n.recipient)}
                </p>
                <p className="notification-body">{n.body}</p>
                {to ? (
                  <Link to={to} aria-label={`${t('open')}: ${n.subject}`}>
                    {t('open')}
                  </Link>
                ) : null}
              </article>
            </li>
          );
        })}
      </ol>
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} />
    </PageFrame>
  );
}
