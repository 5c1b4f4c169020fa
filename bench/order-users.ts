/** Who acts in the order and credit benches (demo users, infra/local/auth.ts); shared by the parent and the stack process. */
export const ORDER_REP = 'wang.qiang'; // sales_rep: owns the customers, creates and submits their orders
export const ORDER_DESK = 'chen.jie'; // order_desk: decides the review
export const WAREHOUSE = 'feng.lei'; // warehouse: receives the stock the orders reserve, issues the goods of a signed-off delivery note
export const SALES_CLERK = 'zhao.min'; // sales_clerk: issues the delivery note for the reserved goods
export const FINANCE = 'wu.fang'; // finance: signs the delivery note off (within credit)
export const LOGISTICS = 'he.jun'; // logistics: registers the carrier, dispatches the note, records the proof of delivery
