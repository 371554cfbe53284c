//! Placeholder: filled in on its own branch before this crate reaches main.
