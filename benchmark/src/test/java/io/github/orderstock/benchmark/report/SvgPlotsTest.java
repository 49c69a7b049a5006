package io.github.orderstock.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgPlotsTest {

    @Test
    void drawsEveryRunWithATimelineAsAWellFormedSvgWithinItsViewBox(@TempDir Path dir) throws Exception {
        Report report = ReportTest.fullReport();
        Path svg = Report.plotsBeside(dir.resolve("benchmark-1.json"));

        assertThat(report.writePlots(svg)).isTrue();

        assertThat(svg.getFileName().toString()).isEqualTo("benchmark-1.svg");
        Document image = parse(Files.readString(svg));
        Element root = image.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(root.getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        double width = Double.parseDouble(root.getAttribute("width"));
        double height = Double.parseDouble(root.getAttribute("height"));
        assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 %.0f %.0f".formatted(width, height));
        // The 64-client HTTP level, the first end-to-end run and the old ids twice (every answer, fresh alone).
        assertThat(texts(image)).contains("POST /orders with wrk, 64 clients",
                "end to end, 10,000 orders over 1 product",
                "old order ids: every answer (1,000 repeats from 8 clients, fresh orders from 8)",
                "old order ids: the fresh orders' answers alone",
                "longest without any answer: 1,500 ms from 1.3 s; 30 answers")
                .doesNotContain("POST /orders with wrk, 1 client");
        List<String> silences = new ArrayList<>();
        NodeList rects = image.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if ("0.3".equals(rect.getAttribute("fill-opacity"))) {
                silences.add(rect.getAttribute("width"));
            }
        }
        // The silence is 1.5 of 3 seconds: half of each 380-pixel chart, on both charts of the 4 rows.
        assertThat(silences).hasSize(8).containsOnly("190.0");
        NodeList lines = image.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isPositive();
        for (int i = 0; i < lines.getLength(); i++) {
            for (String point : ((Element) lines.item(i)).getAttribute("points").split(" ")) {
                String[] xy = point.split(",");
                assertThat(Double.parseDouble(xy[0])).isBetween(0.0, width);
                assertThat(Double.parseDouble(xy[1])).isBetween(0.0, height);
            }
        }
    }

    @Test
    void aSecondWithoutAnswersBreaksTheLatencyLinesIntoDots() throws Exception {
        Document image = parse(SvgPlots.render(ReportTest.fullReport()));

        // p50, p99 and max have a value in seconds 0 and 2 only: two dots each per row, no line.
        assertThat(image.getElementsByTagName("circle").getLength()).isEqualTo(4 * 3 * 2);
    }

    @Test
    void aReportWithoutTimelinesHasNoPlots(@TempDir Path dir) throws Exception {
        var report = new Report("now", new Machine(2, "cpu", 1024, "java", "os", null));
        report.http(new Figures.Http(1, 1, 20, 20_000, 1_000, 0.95, 2.5, 30, 0, 0, 0, 0, 0));
        Path svg = dir.resolve("x.svg");

        assertThat(report.writePlots(svg)).isFalse();
        assertThat(svg).doesNotExist();
    }

    @Test
    void labelsAreEscapedAndScalesRoundToNiceNumbers() {
        assertThat(SvgPlots.escape("a < b & \"c\"")).isEqualTo("a &lt; b &amp; &quot;c&quot;");
        assertThat(SvgPlots.niceCeiling(1_347)).isEqualTo(2_000);
        assertThat(SvgPlots.niceCeiling(450)).isEqualTo(500);
        assertThat(SvgPlots.niceCeiling(100)).isEqualTo(100);
        assertThat(SvgPlots.niceStep(20)).isEqualTo(2);
        assertThat(SvgPlots.niceStep(65)).isEqualTo(10);
    }

    private static Document parse(String svg) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document image) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = image.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
