//! The import's error list, bounded (FORMATS.md "Reading rules"): the first
//! [`LISTED`] errors are kept with sheet, row, column and reason, the rest
//! only counted. A file with a million bad rows gives a list a clerk can
//! read, not 141 MB of messages, and memory stays small.

/// Errors kept in full.
pub const LISTED: usize = 200;
/// A cell's text quoted in a message (between “ and ”) is cut to this many
/// characters.
pub const QUOTE_CHARS: usize = 40;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorList {
    listed: Vec<String>,
    more: usize,
}

impl ErrorList {
    pub fn new() -> ErrorList {
        ErrorList::default()
    }

    /// Adds one error; past [`LISTED`] it is only counted.
    pub fn push(&mut self, message: String) {
        if self.listed.len() < LISTED {
            self.listed.push(cut_quotes(&message));
        } else {
            self.more += 1;
        }
    }

    /// Every error, listed or not.
    pub fn total(&self) -> usize {
        self.listed.len() + self.more
    }

    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// The errors kept in full, in the order found.
    pub fn listed(&self) -> &[String] {
        &self.listed
    }

    /// How many errors were found past the listed ones.
    pub fn more(&self) -> usize {
        self.more
    }

    /// The listed errors and, when there were more, a last line that says
    /// how many (what the CLI prints and the TUI shows).
    pub fn lines(&self) -> Vec<String> {
        let mut out = self.listed.clone();
        if self.more > 0 {
            out.push(format!(
                "……另有 {} 处错误未列出（共 {} 处）；请先改正上面的错误后再导入，其余会再列出",
                self.more,
                self.total()
            ));
        }
        out
    }
}

impl std::ops::Deref for ErrorList {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.listed
    }
}

/// Cuts every “quoted” part of `message` longer than [`QUOTE_CHARS`]
/// characters to that many and `…`.
pub fn cut_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find('“') {
        let (before, after) = rest.split_at(open + '“'.len_utf8());
        out.push_str(before);
        let (inner, tail) = match after.find('”') {
            Some(close) => after.split_at(close),
            None => (after, ""),
        };
        if inner.chars().count() > QUOTE_CHARS {
            out.extend(inner.chars().take(QUOTE_CHARS));
            out.push('…');
        } else {
            out.push_str(inner);
        }
        rest = tail;
        if rest.is_empty() {
            return out;
        }
        // The closing mark.
        let close = '”'.len_utf8();
        out.push_str(&rest[..close]);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_keeps_two_hundred_and_counts_the_rest() {
        let mut e = ErrorList::new();
        for i in 0..1000 {
            e.push(format!("单位!{} 名称: 必填", i + 2));
        }
        assert_eq!(e.listed().len(), LISTED);
        assert_eq!(e.total(), 1000);
        assert_eq!(e.more(), 800);
        let lines = e.lines();
        assert_eq!(lines.len(), LISTED + 1);
        assert!(lines[LISTED].contains("另有 800 处错误未列出（共 1000 处）"));
        assert_eq!(lines[0], "单位!2 名称: 必填");
    }

    #[test]
    fn long_quotes_are_cut_to_forty_characters() {
        let long = "长".repeat(30_000);
        let cut = cut_quotes(&format!(
            "党员!3 所在党组织: 找不到“{long}”，请先在党组织表中登记"
        ));
        assert_eq!(
            cut,
            format!(
                "党员!3 所在党组织: 找不到“{}…”，请先在党组织表中登记",
                "长".repeat(40)
            )
        );
        assert_eq!(cut_quotes("“短”与“也短”"), "“短”与“也短”");
        assert_eq!(cut_quotes("没有引号"), "没有引号");
        let open = cut_quotes(&format!("“{}", "x".repeat(50)));
        assert_eq!(open, format!("“{}…", "x".repeat(40)));
    }
}
