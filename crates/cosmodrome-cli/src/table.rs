//! Plain-text tables for the terminal.

/// A table with a header row; columns are right-aligned (figures) except the first `left`
/// columns and those named by [`Table::left_aligned`] (text). A left-aligned last column is not
/// padded and its rule is only as long as its title: a long note in one row (a sweep point's
/// reason) does not widen every line of the table.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    left: usize,
    text_columns: Vec<usize>,
}

impl Table {
    /// New table with column titles; the first `left` columns are left-aligned.
    pub fn new(header: &[&str], left: usize) -> Self {
        Table { header: header.iter().map(|s| (*s).to_owned()).collect(), rows: Vec::new(), left, text_columns: Vec::new() }
    }

    /// Also left-align these columns (text after figures, such as a description at the end).
    pub fn left_aligned(mut self, columns: &[usize]) -> Self {
        self.text_columns.extend_from_slice(columns);
        self
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
                .map(|(i, c)| {
                    if i < self.left || self.text_columns.contains(&i) {
                        format!("{c:<w$}", w = width[i])
                    } else {
                        format!("{c:>w$}", w = width[i])
                    }
                })
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
            if k == 0 {
                let last_is_text = n > 0 && (n - 1 < self.left || self.text_columns.contains(&(n - 1)));
                let rule: Vec<String> = width
                    .iter()
                    .enumerate()
                    .map(|(i, w)| if i + 1 == n && last_is_text { "-".repeat(self.header[i].chars().count()) } else { "-".repeat(*w) })
                    .collect();
                out.push_str(&rule.join("  "));
                out.push('\n');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Table;

    #[test]
    fn figures_align_right_and_text_left() {
        let mut t = Table::new(&["id", "mass t", "stages"], 1).left_aligned(&[2]);
        t.row(vec!["a".into(), "1.5".into(), "one / two".into()]);
        t.row(vec!["bb".into(), "120.0".into(), "x".into()]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "id  mass t  stages");
        assert_eq!(lines[2], "a      1.5  one / two");
        assert_eq!(lines[3], "bb   120.0  x");
    }

    #[test]
    fn a_long_last_text_column_keeps_its_rule_to_its_title() {
        let mut t = Table::new(&["id", "status"], 1).left_aligned(&[1]);
        t.row(vec!["a".into(), "ok".into()]);
        t.row(vec!["b".into(), "unreachable: a long reason".into()]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "--  ------");
        assert_eq!(lines[2], "a   ok");
        assert_eq!(lines[3], "b   unreachable: a long reason");
    }
}
