package dev.nautilus.accel.risk;

import dev.nautilus.accel.testutil.JsonReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws docs/risk-convergence.png (XChart, test scope only) from the JSON that
 * {@code nautilus bench risk --json} writes. Not a test: it runs only when asked, e.g.
 * {@code mvn -o -q test -Dtest=ConvergenceChartWriter -Dnautilus.risk.chart.input=bench.json
 * -Dnautilus.risk.chart.output=docs/risk-convergence}.
 */
@Timeout(60)
@EnabledIfSystemProperty(named = "nautilus.risk.chart.input", matches = ".+")
class ConvergenceChartWriter {
    @Test
    @SuppressWarnings("unchecked")
    void shouldDrawTheConvergenceChart() throws Exception {
        Map<String, Object> doc = JsonReader.parseObject(Files.readString(Path.of(System.getProperty("nautilus.risk.chart.input"))));
        String output = System.getProperty("nautilus.risk.chart.output", "docs/risk-convergence");
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("VaR error vs N, Monte Carlo and randomised QMC (nautilus bench risk, " + ((Map<String, Object>) doc.get("accuracy")).get("reps") + " seeds per point)")
                .xAxisTitle("scenarios N").yAxisTitle("relative RMSE of VaR (vs closed form)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        for (Object o : (List<Object>) doc.get("convergence")) {
            Map<String, Object> s = (Map<String, Object>) o;
            List<Object> ns = (List<Object>) s.get("n");
            double[] x = new double[ns.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = ((Number) ns.get(i)).doubleValue();
            }
            for (Map.Entry<String, Object> e : s.entrySet()) {
                if (!(e.getValue() instanceof Map)) {
                    continue;
                }
                Map<String, Object> row = (Map<String, Object>) e.getValue();
                List<Object> errs = (List<Object>) row.get("varRelativeRmse");
                double[] y = new double[errs.size()];
                for (int i = 0; i < y.length; i++) {
                    y[i] = ((Number) errs.get(i)).doubleValue();
                }
                String name = String.format(java.util.Locale.ROOT, "%s %s at %s: slope %.2f", s.get("model"), e.getKey(),
                        s.get("level"), ((Number) row.get("logLogSlope")).doubleValue());
                chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        Path out = Path.of(output);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        BitmapEncoder.saveBitmap(chart, output, BitmapEncoder.BitmapFormat.PNG);
    }
}
