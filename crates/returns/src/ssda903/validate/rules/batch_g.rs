//! Rules translated from the DfE validator (see the list in `mod.rs`).

#[allow(unused_imports)]
use super::*;

pub(super) const RULES: &[Rule] = &[];
