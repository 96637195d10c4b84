package dev.nautilus.accel.risk;

/**
 * The standard normal distribution: density, distribution function and its inverse, to close to
 * double precision.
 *
 * <p>The inverse is Wichura's algorithm AS 241 (PPND16: M. J. Wichura, "The percentage points of
 * the normal distribution", Applied Statistics 37(3), 477-484, 1988), relative error about
 * 1e-16. The distribution function uses Marsaglia's Taylor series (G. Marsaglia, "Evaluating the
 * normal distribution", J. Stat. Software 11(4), 2004) for |x| &lt; 1.5 and Laplace's continued
 * fraction for the Mills ratio (200 terms) beyond, so tail probabilities keep their relative accuracy.
 *
 * <p>Stateless and thread-safe; no method allocates.
 */
public final class NormalDistribution {
    private static final double LOG_SQRT_2PI = 0.91893853320467274178032973640562;
    private static final double INV_SQRT_2PI = 0.39894228040143267793994605993438;

    private NormalDistribution() {}

    /**
     * @param x any value
     * @return the standard normal density at x
     */
    public static double pdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /**
     * @param x any value
     * @return P(Z &lt;= x) for a standard normal Z, with relative accuracy about 1e-14 also far in
     *     the lower tail
     */
    public static double cdf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x <= -1.5) {
            return upperTail(-x);
        }
        if (x >= 1.5) {
            return 1 - upperTail(x);
        }
        double q = x * x;
        double s = x;
        double t = x;
        double previous = 0;
        for (int i = 1; s != previous; i += 2) {
            previous = s;
            t *= q / (i + 2);
            s += t;
        }
        return 0.5 + s * Math.exp(-0.5 * q - LOG_SQRT_2PI);
    }

    /**
     * @param x any value
     * @return P(Z &gt; x) for a standard normal Z, accurate in relative terms for large x
     */
    public static double complementaryCdf(double x) {
        return x >= 1.5 ? upperTail(x) : cdf(-x);
    }

    /** Q(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...)))) for x &gt;= 1.5, evaluated backwards. */
    private static double upperTail(double x) {
        if (x > 40) {
            return 0;
        }
        double t = x;
        for (int k = 200; k >= 1; k--) {
            t = x + k / t;
        }
        return pdf(x) / t;
    }

    /**
     * The quantile function (AS 241).
     *
     * @param p a probability, strictly between 0 and 1
     * @return z with P(Z &lt;= z) = p
     * @throws IllegalArgumentException if p is not in (0, 1)
     */
    public static double inverseCdf(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("probability " + p + " is outside (0, 1): the normal quantile needs 0 < p < 1");
        }
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            double r = 0.180625 - q * q;
            return q * (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r + 6.7265770927008700853e+4) * r
                    + 4.5921953931549871457e+4) * r + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r
                    + 1.3314166789178437745e+2) * r + 3.3871328727963666080e+0)
                    / (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r + 3.9307895800092710610e+4) * r
                    + 2.1213794301586595867e+4) * r + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r
                    + 4.2313330701600911252e+1) * r + 1.0);
        }
        double r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
        double value;
        if (r <= 5) {
            r -= 1.6;
            value = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r + 2.41780725177450611770e-1) * r
                    + 1.27045825245236838258e+0) * r + 3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r
                    + 4.63033784615654529590e+0) * r + 1.42343711074968357734e+0)
                    / (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r + 1.51986665636164571966e-2) * r
                    + 1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r
                    + 2.05319162663775882187e+0) * r + 1.0);
        } else {
            r -= 5;
            value = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.24266094738807843860e-3) * r
                    + 2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r
                    + 5.46378491116411436990e+0) * r + 6.65790464350110377720e+0)
                    / (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r + 1.84631831751005468180e-5) * r
                    + 7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                    + 5.99832206555887937690e-1) * r + 1.0);
        }
        return q < 0 ? -value : value;
    }
}
