//! Turns the plain text people write into blocks the pages and the documents print alike: paragraphs
//! separated by blank lines, and lists of lines that start with "• ", "- " or "– ".

/// A block of running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    List(Vec<String>),
}

impl Block {
    pub fn is_list(&self) -> bool {
        matches!(self, Block::List(_))
    }
    /// The paragraph's text (empty for a list).
    pub fn text(&self) -> &str {
        match self {
            Block::Paragraph(t) => t,
            Block::List(_) => "",
        }
    }
    /// The list's items (empty for a paragraph).
    pub fn items(&self) -> &[String] {
        match self {
            Block::List(items) => items,
            Block::Paragraph(_) => &[],
        }
    }
}

fn bullet(line: &str) -> Option<&str> {
    let l = line.trim_start();
    ["• ", "- ", "– ", "* "]
        .iter()
        .find_map(|b| l.strip_prefix(b))
        .map(str::trim)
}

/// Splits text into paragraphs and lists.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for chunk in text.replace("\r\n", "\n").split("\n\n") {
        let mut para: Vec<&str> = Vec::new();
        let mut list: Vec<String> = Vec::new();
        for line in chunk
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
        {
            if let Some(item) = bullet(line) {
                if !para.is_empty() {
                    out.push(Block::Paragraph(para.join("\n")));
                    para.clear();
                }
                list.push(item.to_string());
            } else {
                if !list.is_empty() {
                    out.push(Block::List(std::mem::take(&mut list)));
                }
                para.push(line.trim());
            }
        }
        if !para.is_empty() {
            out.push(Block::Paragraph(para.join("\n")));
        }
        if !list.is_empty() {
            out.push(Block::List(list));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_lists() {
        let b = blocks("Första stycket\nfortsätter.\n\nVi ska:\n• göra det\n• och detta\nSlut.");
        assert_eq!(
            b,
            vec![
                Block::Paragraph("Första stycket\nfortsätter.".into()),
                Block::Paragraph("Vi ska:".into()),
                Block::List(vec!["göra det".into(), "och detta".into()]),
                Block::Paragraph("Slut.".into()),
            ]
        );
        assert!(blocks("  \n\n ").is_empty());
        assert_eq!(blocks("- ett\n- två")[0].items().len(), 2);
    }
}
