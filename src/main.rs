//! The tilsynsklar binary: parses the command line, runs it, and turns an error into one
//! line on stderr and a non-zero exit code.

use std::io::Write;
use std::process::ExitCode;
use tilsynsklar::Error;
use tilsynsklar::cli::run;
use tilsynsklar::text::for_terminal;

fn main() -> ExitCode {
    let cli = tilsynsklar::cli::parse();
    let lang = cli.lang;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // a reader that stopped reading (`… | head`) is not an error
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let prefix = lang.pick("fejl", "error");
            let _ = writeln!(
                std::io::stderr(),
                "tilsynsklar: {prefix}: {}",
                for_terminal(&e.localized(lang), false)
            );
            ExitCode::FAILURE
        }
    }
}
