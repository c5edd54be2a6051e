//! A small streaming writer of Word documents (.docx, Office Open XML), for the year export and
//! the 督办通知: the package parts (content types, relationships, styles, settings, a footer
//! with page numbers, document properties) and the pieces of a body (paragraphs, tables with a
//! header row repeated on every page, section breaks between portrait and landscape pages).
//!
//! The body is written straight into the zip entry of `word/document.xml` as it is produced,
//! so a document of any length is written in memory that does not grow with it; a crate that
//! builds the whole document tree first (docx-rs) could not export a million-task ledger in
//! bounded memory.
//!
//! Use: [`Docx::new`] writes the fixed parts and opens the body; write paragraphs and tables
//! into [`Docx::body`] with the free functions of this module; [`Docx::finish`] closes the last
//! section and the package. Every piece of text goes through [`text`], which escapes it for XML,
//! drops the characters XML 1.0 forbids and turns line breaks into `w:br`.

use std::io::{self, Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::{Error, Result};

/// The width of an A4 page in twentieths of a point (twips), portrait.
pub const A4_SHORT: u32 = 11906;
/// The height of an A4 page in twips, portrait.
pub const A4_LONG: u32 = 16838;

/// The namespace declarations of the body and footer parts.
const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A paragraph style of the package's `styles.xml`, with the East Asian font its runs name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The document title: 黑体 (standing in for 小标宋), 22 pt (二号), centred.
    Title,
    /// The lines under the title (填报单位, dates): 仿宋, 12 pt, centred.
    Subtitle,
    /// A section heading: 黑体, 15 pt.
    Heading,
    /// Body text: 仿宋, 12 pt.
    Body,
    /// Body text indented one level, for items under an item.
    Indented,
    /// A table cell: 宋体, 10.5 pt (五号).
    Cell,
    /// A table cell of a wide table: 宋体, 9 pt (小五).
    Small,
    /// A table heading cell: 黑体, 10.5 pt, centred.
    Head,
    /// A heading cell of a wide table: 黑体, 9 pt, centred.
    SmallHead,
    /// A cell of the year export's task table, whose nineteen columns share one landscape
    /// page: 宋体, 8 pt.
    Dense,
    /// A heading cell of that table: 黑体, 8 pt, centred.
    DenseHead,
    /// A signature or date line: 仿宋, 12 pt, right-aligned.
    Right,
}

impl Style {
    /// The style's id in `styles.xml`.
    pub fn id(self) -> &'static str {
        match self {
            Style::Title => "TzTitle",
            Style::Subtitle => "TzSubtitle",
            Style::Heading => "TzHeading",
            Style::Body => "TzBody",
            Style::Indented => "TzIndented",
            Style::Cell => "TzCell",
            Style::Small => "TzSmall",
            Style::Head => "TzHead",
            Style::SmallHead => "TzSmallHead",
            Style::Dense => "TzDense",
            Style::DenseHead => "TzDenseHead",
            Style::Right => "TzRight",
        }
    }

    /// The East Asian font of the style's runs.
    pub fn east_asian_font(self) -> &'static str {
        match self {
            Style::Title | Style::Heading | Style::Head | Style::SmallHead | Style::DenseHead => {
                "黑体"
            }
            Style::Subtitle | Style::Body | Style::Indented | Style::Right => "仿宋",
            Style::Cell | Style::Small | Style::Dense => "宋体",
        }
    }

    /// The font size in half-points.
    pub const fn half_points(self) -> u32 {
        match self {
            Style::Title => 44,
            Style::Heading => 30,
            Style::Subtitle | Style::Body | Style::Indented | Style::Right => 24,
            Style::Cell | Style::Head => 21,
            Style::Small | Style::SmallHead => 18,
            Style::Dense | Style::DenseHead => 16,
        }
    }

    const ALL: [Style; 12] = [
        Style::Title,
        Style::Subtitle,
        Style::Heading,
        Style::Body,
        Style::Indented,
        Style::Cell,
        Style::Small,
        Style::Head,
        Style::SmallHead,
        Style::Dense,
        Style::DenseHead,
        Style::Right,
    ];

    /// The style's definition for `styles.xml`.
    fn definition(self) -> String {
        let name = self.id();
        let font = self.east_asian_font();
        let size = self.half_points();
        let (ppr, bold) = match self {
            Style::Title => (
                r#"<w:jc w:val="center"/><w:spacing w:before="240" w:after="240" w:line="360" w:lineRule="auto"/>"#,
                false,
            ),
            Style::Subtitle => (r#"<w:jc w:val="center"/><w:spacing w:after="60"/>"#, false),
            Style::Heading => (
                r#"<w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/>"#,
                false,
            ),
            Style::Body => (
                r#"<w:spacing w:after="60" w:line="320" w:lineRule="auto"/>"#,
                false,
            ),
            Style::Indented => (
                r#"<w:spacing w:after="60" w:line="320" w:lineRule="auto"/><w:ind w:left="480"/>"#,
                false,
            ),
            Style::Cell | Style::Small | Style::Dense => {
                (r#"<w:spacing w:before="0" w:after="0"/>"#, false)
            }
            Style::Head | Style::SmallHead | Style::DenseHead => (
                r#"<w:jc w:val="center"/><w:spacing w:before="0" w:after="0"/>"#,
                true,
            ),
            Style::Right => (r#"<w:jc w:val="right"/><w:spacing w:after="60"/>"#, false),
        };
        let b = if bold { "<w:b/>" } else { "" };
        format!(
            r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="{name}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{font}" w:cs="Times New Roman"/>{b}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>"#
        )
    }
}

/// The page of a section: A4 portrait or landscape, with margins in twips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub landscape: bool,
    pub top: u32,
    pub bottom: u32,
    pub left: u32,
    pub right: u32,
}

impl Section {
    /// A4 portrait with the margins of a government document (GB/T 9704: 37 mm top, 35 mm
    /// bottom, 28 mm left, 26 mm right), rounded to make room for the page number.
    pub const PORTRAIT: Section = Section {
        landscape: false,
        top: 2098,
        bottom: 1984,
        left: 1588,
        right: 1474,
    };

    /// A4 landscape with 2 cm margins on the long sides and 1.8 cm on the short ones, so a
    /// wide table keeps as much of the page as a printer can print.
    pub const LANDSCAPE: Section = Section {
        landscape: true,
        top: 1134,
        bottom: 1134,
        left: 1021,
        right: 1021,
    };

    /// The page's width in twips.
    pub fn page_width(&self) -> u32 {
        if self.landscape {
            A4_LONG
        } else {
            A4_SHORT
        }
    }

    /// The page's height in twips.
    pub fn page_height(&self) -> u32 {
        if self.landscape {
            A4_SHORT
        } else {
            A4_LONG
        }
    }

    /// The width between the margins, which a full-width table fills.
    pub fn text_width(&self) -> u32 {
        self.page_width().saturating_sub(self.left + self.right)
    }

    /// The `w:sectPr` element: page size and orientation, margins, the footer with the page
    /// number.
    fn xml(&self) -> String {
        let orient = if self.landscape {
            r#" w:orient="landscape""#
        } else {
            ""
        };
        format!(
            r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="{}" w:h="{}"{orient}/><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/></w:sectPr>"#,
            self.page_width(),
            self.page_height(),
            self.top,
            self.right,
            self.bottom,
            self.left
        )
    }
}

/// What the document's properties (`docProps/core.xml`) say.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    /// The unit the document comes from (the ledger's name), as its author; none leaves it out.
    pub author: Option<String>,
    /// When the document was made, RFC 3339, from the ledger's clock (not the computer's) so
    /// that the same ledger at the same moment gives the same document.
    pub created: Option<String>,
}

/// A Word document being written: the package's zip with its body part open.
pub struct Docx<W: Write + Seek> {
    zip: ZipWriter<W>,
    first_section: Section,
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::write("the Word document", e)
}

fn io_error(e: io::Error) -> Error {
    Error::io("writing the Word document", e)
}

/// Options of a deflated part, stamped with a fixed time so that equal documents are equal
/// bytes; `large` allows a part over 4 GiB (zip64), which only a huge body needs.
fn options(large: bool) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .large_file(large)
}

impl<W: Write + Seek> Docx<W> {
    /// Starts a document on `w`: writes every part but the body, then opens
    /// `word/document.xml` so that the body can be written with [`Docx::body`]. The first
    /// section's page is `first`; `large` must be set when the body may pass 4 GiB.
    pub fn new(w: W, meta: &Meta, first: Section, large: bool) -> Result<Docx<W>> {
        let mut zip = ZipWriter::new(w);
        let parts: [(&str, String); 8] = [
            ("[Content_Types].xml", CONTENT_TYPES.to_string()),
            ("_rels/.rels", ROOT_RELS.to_string()),
            ("docProps/core.xml", core_props(meta)),
            ("docProps/app.xml", APP_PROPS.to_string()),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
            ("word/styles.xml", styles()),
            ("word/settings.xml", SETTINGS.to_string()),
            ("word/footer1.xml", footer()),
        ];
        for (name, xml) in parts {
            zip.start_file(name, options(false)).map_err(zip_error)?;
            zip.write_all(xml.as_bytes()).map_err(io_error)?;
        }
        zip.start_file("word/document.xml", options(large))
            .map_err(zip_error)?;
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{}<w:document {NS}><w:body>"#,
            "\n"
        )
        .map_err(io_error)?;
        Ok(Docx {
            zip,
            first_section: first,
        })
    }

    /// The body part, to write paragraphs, tables and section breaks into.
    pub fn body(&mut self) -> &mut dyn Write {
        &mut self.zip
    }

    /// The page of the first section, as given to [`Docx::new`].
    pub fn first_section(&self) -> Section {
        self.first_section
    }

    /// Ends the body with the last section's page (`last`, the page of everything after the
    /// last [`section_break`]) and closes the package, returning the writer.
    pub fn finish(mut self, last: Section) -> Result<W> {
        write!(self.zip, "{}</w:body></w:document>", last.xml()).map_err(io_error)?;
        self.zip.finish().map_err(zip_error)
    }
}

/// Writes `s` as the text of runs in the font of `style`: escaped for XML, without the
/// characters XML 1.0 forbids (control characters other than tab and line breaks, which a
/// hostile file may carry), a line break as `w:br` and a tab as `w:tab`.
pub fn text(w: &mut dyn Write, style: Style, s: &str) -> io::Result<()> {
    write!(
        w,
        r#"<w:r><w:rPr><w:rFonts w:eastAsia="{}"/></w:rPr><w:t xml:space="preserve">"#,
        style.east_asian_font()
    )?;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => w.write_all(b"&amp;")?,
            '<' => w.write_all(b"&lt;")?,
            '>' => w.write_all(b"&gt;")?,
            '"' => w.write_all(b"&quot;")?,
            '\r' | '\n' => {
                // "\r\n" is one break.
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                w.write_all(br#"</w:t><w:br/><w:t xml:space="preserve">"#)?;
            }
            '\t' => w.write_all(br#"</w:t><w:tab/><w:t xml:space="preserve">"#)?,
            c if !xml_char(c) => {}
            c => {
                let mut buf = [0u8; 4];
                w.write_all(c.encode_utf8(&mut buf).as_bytes())?;
            }
        }
    }
    w.write_all(b"</w:t></w:r>")
}

/// Whether XML 1.0 allows `c` in a document (tab and line breaks are handled before).
fn xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Writes a paragraph of `style` holding `s`.
pub fn paragraph(w: &mut dyn Write, style: Style, s: &str) -> io::Result<()> {
    write!(
        w,
        r#"<w:p><w:pPr><w:pStyle w:val="{}"/></w:pPr>"#,
        style.id()
    )?;
    text(w, style, s)?;
    w.write_all(b"</w:p>")
}

/// Writes a paragraph of `style` made of several pieces, the ones marked `true` in bold (a
/// label and its value, a ref before a title).
pub fn rich_paragraph(w: &mut dyn Write, style: Style, pieces: &[(&str, bool)]) -> io::Result<()> {
    write!(
        w,
        r#"<w:p><w:pPr><w:pStyle w:val="{}"/></w:pPr>"#,
        style.id()
    )?;
    for (s, bold) in pieces {
        if *bold {
            write!(
                w,
                r#"<w:r><w:rPr><w:rFonts w:eastAsia="{}"/><w:b/></w:rPr><w:t xml:space="preserve">"#,
                style.east_asian_font()
            )?;
            // The same escaping as `text`, through a plain run's body.
            let mut body = Vec::new();
            text(&mut body, style, s)?;
            let inner = strip_run(&body);
            w.write_all(inner)?;
            w.write_all(b"</w:t></w:r>")?;
        } else {
            text(w, style, s)?;
        }
    }
    w.write_all(b"</w:p>")
}

/// The inside of a run written by `text`: what comes between its opening `w:t` and its
/// closing one.
fn strip_run(run: &[u8]) -> &[u8] {
    let open = br#"<w:t xml:space="preserve">"#;
    let start = run
        .windows(open.len())
        .position(|x| x == open)
        .map_or(0, |i| i + open.len());
    let end = run.len().saturating_sub(b"</w:t></w:r>".len()).max(start);
    &run[start..end]
}

/// A paragraph that ends the current section with the page `ended` (the page of everything
/// since the previous break, or since the start); what follows starts on a new page.
pub fn section_break(w: &mut dyn Write, ended: Section) -> io::Result<()> {
    write!(w, "<w:p><w:pPr>{}</w:pPr></w:p>", ended.xml())
}

/// A column of a table: its width in twips and whether its cells are centred (figures, short
/// words) rather than left-aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    pub width: u32,
    pub center: bool,
}

/// Widths in twips that add up to exactly `total`, in proportion to `weights` (a column's
/// share; any unit). The rounding goes to the last column, so a fixed-layout table fills the
/// text width to the twip.
pub fn widths(weights: &[u32], total: u32) -> Vec<u32> {
    let sum: u64 = weights.iter().map(|w| u64::from(*w)).sum::<u64>().max(1);
    let mut out: Vec<u32> = weights
        .iter()
        .map(|w| u32::try_from(u64::from(*w) * u64::from(total) / sum).unwrap_or(0))
        .collect();
    let used: u32 = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += total.saturating_sub(used);
    }
    out
}

/// Opens a table with fixed column widths (they should add up to the text width, see
/// [`widths`]) and writes its heading row, which Word, WPS and LibreOffice repeat at the top
/// of every page the table runs onto (`w:tblHeader`). `head` is the style of the headings;
/// rows follow with [`table_row`], and [`table_end`] closes the table.
pub fn table_start(
    w: &mut dyn Write,
    cols: &[Col],
    headings: &[&str],
    head: Style,
) -> io::Result<()> {
    let total: u32 = cols.iter().map(|c| c.width).sum();
    write!(
        w,
        r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#
    )?;
    for c in cols {
        write!(w, r#"<w:gridCol w:w="{}"/>"#, c.width)?;
    }
    w.write_all(br#"</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"#)?;
    for (c, s) in cols.iter().zip(headings) {
        write!(
            w,
            r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/><w:vAlign w:val="center"/></w:tcPr>"#,
            c.width
        )?;
        paragraph(w, head, s)?;
        w.write_all(b"</w:tc>")?;
    }
    w.write_all(b"</w:tr>")
}

/// Writes a row of a table opened by [`table_start`], its cells in `style`; the row is kept
/// whole on one page (`w:cantSplit`) unless it is taller than a page.
pub fn table_row<S: AsRef<str>>(
    w: &mut dyn Write,
    cols: &[Col],
    cells: &[S],
    style: Style,
) -> io::Result<()> {
    w.write_all(b"<w:tr><w:trPr><w:cantSplit/></w:trPr>")?;
    for (c, s) in cols.iter().zip(cells) {
        write!(
            w,
            r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{}"/>{}</w:pPr>"#,
            c.width,
            style.id(),
            if c.center {
                r#"<w:jc w:val="center"/>"#
            } else {
                ""
            }
        )?;
        text(w, style, s.as_ref())?;
        w.write_all(b"</w:p></w:tc>")?;
    }
    w.write_all(b"</w:tr>")
}

/// Closes a table. Word needs a paragraph between a table and what follows it (another
/// table, a section break), so one small empty paragraph is written after it.
pub fn table_end(w: &mut dyn Write) -> io::Result<()> {
    w.write_all(br#"</w:tbl><w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p>"#)
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

const APP_PROPS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>taizhang</Application></Properties>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

/// The styles part: document defaults (Times New Roman for Latin text, 宋体 for Chinese, 12
/// pt) and the paragraph styles of [`Style`].
fn styles() -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="21"/></w:rPr></w:style>"#,
    );
    for st in Style::ALL {
        s.push_str(&st.definition());
    }
    s.push_str("</w:styles>");
    s
}

/// The footer of every page: the page number between dashes ("— 3 —"), centred, as
/// government documents print it.
fn footer() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#
    )
}

/// The core properties: title, author and creation time, escaped.
fn core_props(meta: &Meta) -> String {
    let esc = |s: &str| {
        let mut out = Vec::new();
        // Escaping through the run writer keeps one rule for every string of the package.
        let _ = text(&mut out, Style::Body, s);
        String::from_utf8_lossy(strip_run(&out)).into_owned()
    };
    let created = meta
        .created
        .as_deref()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| {
            format!(
                r#"<dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{0}</dcterms:modified>"#,
                t.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%SZ")
            )
        })
        .unwrap_or_default();
    let author = meta
        .author
        .as_deref()
        .map(|a| format!("<dc:creator>{}</dc:creator>", esc(a)))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title>{author}{created}</cp:coreProperties>"#,
        esc(&meta.title)
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let mut out = Vec::new();
        text(&mut out, Style::Cell, s).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        let r = run("a<b>&\"c\u{1}\u{b}d\u{FFFE}");
        assert!(r.contains("a&lt;b&gt;&amp;&quot;cd</w:t>"), "{r}");
        assert!(r.contains(r#"w:eastAsia="宋体""#), "{r}");
    }

    #[test]
    fn line_breaks_become_breaks_and_tabs_tabs() {
        let r = run("一\r\n二\n三\t四");
        assert_eq!(r.matches("<w:br/>").count(), 2, "{r}");
        assert_eq!(r.matches("<w:tab/>").count(), 1, "{r}");
    }

    #[test]
    fn widths_fill_the_total_exactly() {
        let w = widths(&[3, 7, 11, 1], 14796);
        assert_eq!(w.iter().sum::<u32>(), 14796);
        assert!(w[2] > w[1] && w[1] > w[0]);
    }

    #[test]
    fn bold_pieces_are_escaped_too() {
        let mut out = Vec::new();
        rich_paragraph(&mut out, Style::Body, &[("<b>", true), ("&", false)]).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.contains("<w:b/></w:rPr><w:t xml:space=\"preserve\">&lt;b&gt;</w:t>"),
            "{s}"
        );
        assert!(s.contains("&amp;"), "{s}");
    }
}
