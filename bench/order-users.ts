/** Who acts in the order and credit benches (demo users, infra/local/auth.ts); shared by the parent and the stack process. */
export const ORDER_REP = 'wang.qiang'; // sales_rep: owns the customers, creates and submits their orders
export const ORDER_DESK = 'chen.jie'; // order_desk: decides the review
export const WAREHOUSE = 'feng.lei'; // warehouse: receives the stock the orders reserve
