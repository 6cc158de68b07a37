/** The largest number of variables the engine accepts (parent-set keys, masks and tables are sized for it). */
export const MAX_VARIABLES = 128;
