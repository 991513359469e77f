//! SSDA903: the DfE's child-level return on children looked after and care leavers.

mod children;
mod exchange;
mod read;
pub mod synthetic;
mod tables;
pub mod validate;

pub use children::{Ssda903Child, children_from};
pub use exchange::{Exchange, ExchangeChild, HeaderRow, Oc3Row, exchange_from};
pub use read::{InputError, RawRow, RawTable, Return, decode, read_dir, read_table};
pub use tables::Table;
