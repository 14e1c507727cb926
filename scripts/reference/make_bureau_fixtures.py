"""Small Excel workbooks as a bureau sends them, for the bad-input tests of the GDAL sources.

Written with the standard library only (an .xlsx is a zip of XML), so the fixtures do not
depend on the GDAL under test. Writes Tests/spaceplanTests/Fixtures/:
  firms-title-row.xlsx   a title row ("福田区企业名录（2021）") above the header
  firms-bad-number.xlsx  the header first, but one firm's employees is the text "十二"
"""
import pathlib
import zipfile
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/spaceplanTests/Fixtures"

HEADER = ["id", "name", "sector", "flags", "employees", "floor_area_m2", "lon", "lat", "building_id"]
FIRMS = [
    ["E1", "星河科技有限公司", "ai", "", "12", "240", "", "", "B0000001"],
    ["E2", "华强电子有限公司", "electronics", "", "30", "600", "", "", "B0000002"],
]


def column(i):
    return chr(ord("A") + i)


def sheet(rows):
    xml = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(f'<c r="{column(i)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                        for i, v in enumerate(row) if v != "")
        xml.append(f'<row r="{r}">{cells}</row>')
    xml.append("</sheetData></worksheet>")
    return "".join(xml)


def workbook(path, rows):
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="企业名录" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet(rows),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            # A fixed timestamp: the same bytes on every run.
            info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
            z.writestr(info, text.encode("utf-8"), zipfile.ZIP_DEFLATED)


OUT.mkdir(parents=True, exist_ok=True)
workbook(OUT / "firms-title-row.xlsx", [["福田区企业名录（2021）"], HEADER] + FIRMS)
bad = [row[:] for row in FIRMS]
bad[1][4] = "十二"
workbook(OUT / "firms-bad-number.xlsx", [HEADER] + bad)
print("wrote", OUT / "firms-title-row.xlsx", OUT / "firms-bad-number.xlsx")
