import Foundation
import TestSupport
import Testing

/// The HTML report as a person sees it: rendered by headless Chromium (Debian's `chromium`,
/// which `make test` installs), screenshotted, and the PNG decoded to check the page is not
/// blank and its charts were drawn.
@Suite struct ReportScreenshotTests {
  @Test func chromiumRendersTheHTMLReport() throws {
    let chromium = try #require(
      which("chromium"), "chromium is not installed: run `make setup-tests` (apt-get install chromium)")
    let ledger = try ReportLedger()
    let html = try ledger.report(["--format", "html"])
    #expect(html.status == 0)
    let folder = try makeTemporaryFolder(prefix: "promptgate-screenshot")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let page = folder + "/report.html"
    let png = folder + "/report.png"
    try html.stdout.write(toFile: page, atomically: true, encoding: .utf8)
    let rendered = try run(
      "/usr/bin/timeout",
      [
        "120", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder)/profile",
        "--screenshot=\(png)", "--window-size=1200,1600", URL(fileURLWithPath: page).absoluteString,
      ])
    #expect(rendered.status == 0, "\(rendered.stderr)")
    let analysis = try run("/usr/bin/python3", ["-c", Self.pngAnalysis, png])
    #expect(analysis.status == 0, "\(analysis.stderr)")
    let figures = try #require(
      try JSONSerialization.jsonObject(with: Data(analysis.stdout.utf8)) as? [String: Any])
    #expect(figures["width"] as? Int == 1200)
    #expect(figures["height"] as? Int == 1600)
    // A blank page is one colour; text, tables and charts are hundreds.
    #expect((figures["colours"] as? Int ?? 0) > 50, "\(figures)")
    #expect((figures["non_white"] as? Double ?? 0) > 0.05, "\(figures)")
    // The charts' green (releases) and red (failures, rollbacks, recovery bars) were painted.
    #expect((figures["green"] as? Int ?? 0) > 500, "\(figures)")
    #expect((figures["red"] as? Int ?? 0) > 500, "\(figures)")
  }

  /// Decodes an 8-bit RGB(A) PNG with Python's standard library only (zlib) and prints its
  /// size, how many colours it has, the share of non-white pixels, and how many pixels are
  /// near the report's green and red.
  static let pngAnalysis = #"""
    import json, struct, sys, zlib
    from collections import Counter

    data = open(sys.argv[1], "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("not a PNG")
    pos, idat = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit(f"unsupported PNG: depth {depth}, colour type {ctype}, interlace {interlace}")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    previous = bytearray(stride)
    colours = Counter()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colours.update(zip(*[iter(line)] * bpp))
        previous = line

    def near(rgb, tolerance=12):
        return sum(n for c, n in colours.items() if all(abs(c[i] - rgb[i]) <= tolerance for i in range(3)))

    total = width * height
    white = sum(n for c, n in colours.items() if c[:3] == (255, 255, 255))
    print(json.dumps({
        "width": width, "height": height, "colours": len(colours),
        "non_white": (total - white) / total, "green": near((0x2E, 0x7D, 0x32)), "red": near((0xC6, 0x28, 0x28)),
    }))
    """#
}
