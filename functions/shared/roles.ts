/** The roles of RULES.md. Each is a Cognito group in the cloud and a demo user locally. */
export const ROLES = [
  'sales_rep',
  'sales_clerk',
  'order_desk',
  'sales_manager',
  'sales_vp',
  'general_manager',
  'finance',
  'finance_manager',
  'warehouse',
  'logistics',
  'production',
  'customer_service',
  'auditor',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  sales_rep: 'Sales rep (业务员): owns customers and their orders',
  sales_clerk: 'Sales clerk (销售内勤): enters orders for any rep, drafts price lists',
  order_desk: 'Order desk (订单处理中心): reviews orders',
  sales_manager: 'Sales manager (主管经理): special approvals, price-list review',
  sales_vp: 'VP sales (主管产品销售副总经理): off-list prices, overdue escalations',
  general_manager: 'General manager (总经理): price lists, credit exceptions',
  finance: 'Finance clerk (财务): payments, invoices, credit reviews',
  finance_manager: 'Finance manager: credit limits, write-offs, exports',
  warehouse: 'Warehouse (仓库): picks and issues goods',
  logistics: 'Logistics (物流): carriers, dispatch, proof of delivery',
  production: 'Production (生产): production requests',
  customer_service: 'Customer service (客服): inquiries, complaints',
  auditor: 'Internal audit (审计): reads everything, changes nothing',
  admin: 'System administrator: users and settings',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
