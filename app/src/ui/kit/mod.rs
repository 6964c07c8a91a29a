//! The UI kit: pieces the consoles and the H5 pages draw the same way. A state's badge comes from
//! its enum (the label from `named_enum!`, the colour from [`Toned`]), so a new state shows
//! correctly everywhere once it has a tone.

mod badge;
mod chart;
mod form;
mod loaded;
mod nav;
mod row_actions;
mod table;

pub use badge::{StatusBadge, Tone, Toned};
pub use chart::{Bar, BarChart, LineChart, Series};
pub use form::{form_error, FieldError, FormBanner, FormError};
pub use loaded::{Loaded, Place};
pub use nav::{Pager, Tabs};
pub use row_actions::RowActions;
pub use table::{Col, DataTable};
