//! Plain-text tables for the terminal.

/// A table with a header row; columns are right-aligned except the first `left` columns.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    left: usize,
}

impl Table {
    /// New table with column titles; the first `left` columns are left-aligned.
    pub fn new(header: &[&str], left: usize) -> Self {
        Table { header: header.iter().map(|s| (*s).to_owned()).collect(), rows: Vec::new(), left }
    }

    /// Add a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Render with two spaces between columns.
    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut width = vec![0usize; n];
        for row in std::iter::once(&self.header).chain(&self.rows) {
            for (i, c) in row.iter().enumerate().take(n) {
                width[i] = width[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        for (k, row) in std::iter::once(&self.header).chain(&self.rows).enumerate() {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .take(n)
                .map(|(i, c)| if i < self.left { format!("{c:<w$}", w = width[i]) } else { format!("{c:>w$}", w = width[i]) })
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
            if k == 0 {
                let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
                out.push_str(&rule.join("  "));
                out.push('\n');
            }
        }
        out
    }
}
