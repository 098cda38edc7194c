// The ledger's cost model prices writes by item size (core/cost.ts), so the rule lives in core.
export { itemSizeBytes } from '../../core/item-size';
