//! `dossier serve` (being built).
use std::path::Path;

use crate::error::Error;

pub struct ServeOptions {
    pub port: u16,
    pub bind: String,
    pub open: bool,
    pub drafts: bool,
}

pub fn serve(_root: &Path, _options: ServeOptions) -> Result<(), Error> {
    Err(Error::Usage("serve is not available in this build".into()))
}
