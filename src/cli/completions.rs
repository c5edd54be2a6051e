use std::io::Write;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;
use crate::Result;

#[derive(Debug, Args)]
pub struct Completions {
    /// The shell: bash, zsh, fish or powershell.
    pub shell: Shell,
}

impl Completions {
    pub fn run(&self, out: &mut dyn Write) -> Result<()> {
        let mut cmd = Cli::command();
        clap_complete::generate(self.shell, &mut cmd, "taizhang", out);
        Ok(())
    }
}
