//! The workbook read back: constant-memory mode writes what the in-memory mode writes, and
//! a sheet past the row limit continues on another with a note opening the workbook.

use super::*;
use crate::demo::DemoSpec;
use calamine::{Data, Reader, Xlsx, open_workbook};

/// A session on a small demo: both model versions, gaps and actions.
fn session() -> Session {
    crate::app::exchange::demo_session(&DemoSpec {
        facilities: 4,
        years: 4,
        from_year: 2015,
        seed: 3,
    })
}

/// Every sheet's name and cells, in workbook order.
fn read(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (name, rows)
        })
        .collect()
}

fn written(s: &Session, layout: Layout, dir: &Path, name: &str) -> Vec<(String, Vec<Vec<Data>>)> {
    let path = dir.join(name);
    write_with(s, &Selection::All, &path, layout).unwrap();
    read(&path)
}

#[test]
fn constant_memory_writes_what_memory_writes() {
    let s = session();
    let dir = tempfile::tempdir().unwrap();
    let in_memory = Layout {
        constant_memory: false,
        ..Layout::default()
    };
    let kept = written(&s, in_memory, dir.path(), "memory.xlsx");
    let streamed = written(&s, Layout::default(), dir.path(), "streamed.xlsx");
    let names: Vec<&str> = streamed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names[..2],
        ["Oversigt socialtilsyn-2014", "Oversigt socialtilsyn-2017"]
    );
    assert_eq!(names.last(), Some(&"Udviklingspunkter"));
    // 16 assessments over the two summary sheets, every one with its number
    let summaries: usize = streamed[..2].iter().map(|(_, rows)| rows.len() - 1).sum();
    assert_eq!(summaries, 16);
    let gaps = streamed
        .iter()
        .find(|(n, _)| n == "Huller og udviklingspunkter");
    assert!(
        gaps.is_some_and(|(_, rows)| rows.len() > 1),
        "the demo has gaps"
    );
    assert!(
        streamed.iter().all(|(_, rows)| !rows.is_empty()),
        "every sheet has its header"
    );
    assert_eq!(kept.len(), streamed.len());
    for ((name, a), (_, b)) in kept.iter().zip(&streamed) {
        assert_eq!(a.len(), b.len(), "{name}: rows");
        for (r, (ra, rb)) in a.iter().zip(b).enumerate() {
            assert_eq!(ra, rb, "{name}: row {r}");
        }
    }
}

#[test]
fn a_sheet_past_the_row_limit_continues_with_a_note_first() {
    let s = session();
    let dir = tempfile::tempdir().unwrap();
    let whole = written(&s, Layout::default(), dir.path(), "whole.xlsx");
    let limit = 30;
    let small = Layout {
        rows_per_sheet: limit,
        ..Layout::default()
    };
    let split = written(&s, small, dir.path(), "split.xlsx");
    let (note, rows) = &split[0];
    assert_eq!(note, "Bemærk", "the note opens the workbook");
    let text = rows[0][0].to_string();
    assert!(
        text.contains("flere rækker") && text.contains("30"),
        "{text}"
    );
    assert!(
        split.iter().all(|(_, r)| r.len() as u32 <= limit),
        "no sheet over the limit"
    );
    // each sheet of the whole workbook: its rows, in order, over its first sheet and the ones
    // continuing it, each under the same header; the note names the continuations
    let listed: Vec<Vec<String>> = rows
        .iter()
        .skip(3)
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    let mut continued = 0;
    for (name, all) in &whole {
        let mut names = vec![name.clone()];
        if let Some(l) = listed.iter().find(|l| l[0] == *name) {
            names.extend(l[1..].iter().cloned());
        }
        let parts: Vec<&Vec<Vec<Data>>> = names
            .iter()
            .map(|n| {
                &split
                    .iter()
                    .find(|(m, _)| m == n)
                    .expect("listed sheet exists")
                    .1
            })
            .collect();
        assert!(
            parts.iter().all(|p| p[0] == all[0]),
            "{name}: header on every part"
        );
        let data: Vec<&Vec<Data>> = parts.iter().flat_map(|p| p.iter().skip(1)).collect();
        let expected: Vec<&Vec<Data>> = all.iter().skip(1).collect();
        assert_eq!(data.len(), expected.len(), "{name}: as many rows");
        for (r, (d, e)) in data.iter().zip(&expected).enumerate() {
            assert_eq!(d, e, "{name}: row {r}");
        }
        if parts.len() > 1 {
            continued += 1;
            assert!(names[1].ends_with(" (2)"), "{name} continues on {names:?}");
        }
    }
    assert!(continued >= 3, "the theme sheets are split");
    let sheets = whole.len() + listed.iter().map(|l| l.len() - 1).sum::<usize>() + 1;
    assert_eq!(
        split.len(),
        sheets,
        "no sheet but the note and the listed ones"
    );
}

/// A worksheet's rows from its second on, as XML.
fn rows_xml(sheet: &str) -> &str {
    let start = sheet.find("<row r=\"2\"").unwrap();
    let end = sheet.find("</sheetData>").unwrap();
    &sheet[start..end]
}

#[test]
fn streamed_cells_are_the_xml_rust_xlsxwriter_writes() {
    use super::sheets::Styles;
    use super::stream::{StreamSheet, deflate_part};
    use std::io::{Read, Seek};
    let texts = [
        "a<b>&c\"d'e",
        "ctrl \u{1}\u{8}\u{b}\u{c}\r\u{1f} x",
        "tab\tnew\nline",
        " lead",
        "trail ",
        "\tt",
        "\nn",
        "_x0041_ literal",
        "x_x0041_y_x004a_z_x00zz_",
        "_x0041",
        "end_x",
        "\u{FFFE}\u{FFFF}\u{FFFD}",
        "æøå ÆØÅ – “citat” ✓ 😀",
        "'=1+1",
        "",
    ];
    let numbers = [0.0, 17.0, -3.0, 2.5, 0.1, 1e20, 123456789.0, -0.5, 2025.0];
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let st = Styles::new(&mut book, dir.path().to_path_buf()).unwrap();
    // rust_xlsxwriter's constant-memory sheet, the second column wrapped
    let mut sheet = book.new_worksheet_with_constant_memory().unwrap();
    sheet.set_column_format(1, &st.wrap).unwrap();
    sheet.write_string(0, 0, "header").unwrap();
    let mut ours = StreamSheet::new(dir.path(), vec![0, st.wrap_id], st.decimal_id, true).unwrap();
    for r in 1..=texts.len().max(numbers.len()) as u32 {
        ours.at_row(r).unwrap();
        if let Some(t) = texts.get(r as usize - 1) {
            sheet.write_string(r, 0, *t).unwrap();
            sheet.write_string(r, 1, *t).unwrap();
            ours.string(0, t).unwrap();
            ours.string(1, t).unwrap();
        }
        if let Some(n) = numbers.get(r as usize - 1) {
            sheet.write_number(r, 2, *n).unwrap();
            sheet
                .write_number_with_format(r, 30, *n, &st.one_decimal)
                .unwrap();
            ours.number(2, *n);
            ours.decimal(30, *n);
        }
    }
    book.push_worksheet(sheet);
    let saved = book.save_to_buffer().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(saved)).unwrap();
    let mut theirs = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut theirs)
        .unwrap();

    let mut rows = ours.finish().unwrap();
    // the last row holds only an empty text, which is no cell: no row either
    assert_eq!(rows.count as usize, texts.len() - 1);
    let mut deflated = Vec::new();
    rows.file.seek(std::io::SeekFrom::Start(0)).unwrap();
    rows.file.read_to_end(&mut deflated).unwrap();
    assert_eq!(deflated.len() as u64, rows.compressed);
    // the rows' stream is not final: an empty final block closes it
    deflated.extend(deflate_part(b"", true).unwrap());
    let mut xml = String::new();
    flate2::read::DeflateDecoder::new(&deflated[..])
        .read_to_string(&mut xml)
        .unwrap();
    assert_eq!(xml.len() as u64, rows.len);
    assert_eq!(rows.crc.clone().finalize(), crc32fast::hash(xml.as_bytes()));
    assert_eq!(xml, rows_xml(&theirs));
    for escaped in [
        "a&lt;b&gt;&amp;c\"d'e",
        "_x0001__x0008__x000B_",
        "_x005F_x0041_ literal",
    ] {
        assert!(xml.contains(escaped), "{escaped} in {xml}");
    }
    assert!(xml.contains(r#" s=""#), "the wrapped column's style");
}

/// Every worksheet's XML, in workbook order.
fn sheet_xml(path: &Path) -> Vec<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (1..)
        .map_while(|n| {
            let mut xml = String::new();
            let mut f = zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).ok()?;
            f.read_to_string(&mut xml).unwrap();
            Some(xml)
        })
        .collect()
}

#[test]
fn streamed_sheets_keep_the_panes_filters_widths_styles_and_extent_of_the_reference() {
    let s = session();
    let dir = tempfile::tempdir().unwrap();
    for rows_per_sheet in [sheets::EXCEL_ROWS, 30] {
        let streamed = Layout {
            rows_per_sheet,
            ..Layout::default()
        };
        let reference = Layout {
            constant_memory: false,
            ..streamed
        };
        let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
        write_with(&s, &Selection::All, &a, reference).unwrap();
        write_with(&s, &Selection::All, &b, streamed).unwrap();
        let (a, b) = (sheet_xml(&a), sheet_xml(&b));
        assert_eq!(a.len(), b.len());
        assert!(a.len() > 10, "{} sheets", a.len());
        for (n, (a, b)) in a.iter().zip(&b).enumerate() {
            let head = |x: &str| x[..x.find("<sheetData>").unwrap()].to_string();
            let tail = |x: &str| x[x.find("</sheetData>").unwrap()..].to_string();
            // the dimension, frozen pane, widths and column styles; the filter and scales
            assert_eq!(head(a), head(b), "sheet {n}");
            assert_eq!(tail(a), tail(b), "sheet {n}");
            assert!(head(b).contains("<dimension ref=\"A1:"), "sheet {n}");
            // each cell's style: the same cells styled alike (bold headers, wrapped, decimals)
            let styles = |x: &str| {
                x.split("<c r=\"")
                    .skip(1)
                    .map(|c| {
                        let tag = &c[..c.find('>').unwrap()];
                        let at = tag.split('"').next().unwrap().to_string();
                        let s = tag
                            .split(" s=\"")
                            .nth(1)
                            .map(|s| s.split('"').next().unwrap().to_string());
                        (at, s)
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(styles(a), styles(b), "sheet {n}");
        }
    }
}

#[test]
fn a_disk_that_fills_up_is_the_error_the_streamed_rows_report() {
    use super::stream::StreamSheet;
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        println!("skipped: no /dev/full here");
        return;
    };
    for behind in [false, true] {
        let full = full.try_clone().unwrap();
        let mut sheet = StreamSheet::into_file(full, vec![0; 3], 0, behind).unwrap();
        let mut failed = None;
        for r in 1..100_000 {
            if let Err(e) = sheet.at_row(r) {
                failed = Some(e);
                break;
            }
            sheet.number(0, f64::from(r));
            sheet.string(1, "tekst der fylder på disken").unwrap();
        }
        let e = match failed {
            Some(e) => e,
            None => sheet.finish().err().unwrap(),
        };
        assert_eq!(e.raw_os_error(), Some(28), "behind {behind}: {e}");
    }
}
