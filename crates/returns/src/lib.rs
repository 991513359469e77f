//! Statutory returns: the SSDA903 return to the DfE (and, later, Ofsted's Annex A).
//! Reads and writes files; never touches the database.

pub mod ssda903;
