//! Progress of long work: a bar (or spinner) on a terminal, plain lines elsewhere (CI, logs).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Progress on a terminal as a bar; elsewhere (CI, a log) as plain lines.
pub enum Progress {
    Bar(ProgressBar),
    Lines { total: usize, done: usize },
}

impl Progress {
    /// Progress over `total` steps.
    pub fn new(total: usize) -> Progress {
        if std::io::stderr().is_terminal() && total > 1 {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
                bar.set_style(style);
            }
            Progress::Bar(bar)
        } else {
            Progress::Lines { total, done: 0 }
        }
    }

    /// One step done.
    pub fn step(&mut self, what: &str) {
        match self {
            Progress::Bar(bar) => {
                bar.set_message(what.to_string());
                bar.inc(1);
            }
            Progress::Lines { total: 0, .. } => eprintln!("  {what}"),
            Progress::Lines { total, done } => {
                *done += 1;
                eprintln!("[{done}/{total}] {what}");
            }
        }
    }

    /// Progress of work whose length is not known in advance: a spinner on a terminal.
    pub fn open_ended() -> Progress {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            Progress::Bar(bar)
        } else {
            Progress::Lines { total: 0, done: 0 }
        }
    }

    /// A line of its own, above the bar.
    pub fn say(&self, line: &str) {
        match self {
            Progress::Bar(bar) => bar.println(line),
            Progress::Lines { .. } => eprintln!("{line}"),
        }
    }

    pub fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
