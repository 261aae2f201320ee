using Monitoring.Classifier.Features;
using Monitoring.Classifier.Text;

namespace Monitoring.Classifier.Tests.Features;

public class FeatureExtractorTests
{
    private static readonly FeatureSpec Spec = new(HashBits: 16);

    private static Dictionary<int, float> Extract(string text)
    {
        var b = new TokenBuffer();
        SocialTokenizer.Tokenize(text, b);
        var v = new FeatureVector();
        new FeatureExtractor(Spec).Extract(b, v);
        var d = new Dictionary<int, float>();
        for (var i = 0; i < v.Count; i++)
        {
            d[v.Index[i]] = d.GetValueOrDefault(v.Index[i]) + v.Value[i];
        }
        return d;
    }

    [Fact]
    public void Lexicons_are_embedded_and_complete()
    {
        Assert.True(Lexicons.Default.VaderCount > 7000);
        Assert.True(Lexicons.Default.AfinnCount > 3000);
        Assert.True(Lexicons.Default.Vader("happy") > 0);
        Assert.True(Lexicons.Default.Afinn("hate") < 0);
        Assert.True(Lexicons.Default.Afinn(":)") > 0);
    }

    [Fact]
    public void Same_text_gives_same_features_and_indices_stay_in_range()
    {
        var a = Extract("What a lovely day :) #blessed");
        var b = Extract("What a lovely day :) #blessed");
        Assert.Equal(a, b);
        Assert.All(a.Keys, k => Assert.InRange(k, 0, Spec.Dimension - 1));
    }

    [Fact]
    public void Hashed_blocks_are_unit_length()
    {
        var b = new TokenBuffer();
        SocialTokenizer.Tokenize("the cat sat on the mat and the cat was happy", b);
        var v = new FeatureVector();
        new FeatureExtractor(Spec).Extract(b, v);
        // Word block first, then char block, then dense features (index >= HashSize): total hashed norm² = 2.
        double sq = 0;
        for (var i = 0; i < v.Count; i++)
        {
            if (v.Index[i] < Spec.HashSize) sq += v.Value[i] * v.Value[i];
        }
        Assert.Equal(2.0, sq, 3);
    }

    [Fact]
    public void Valence_features_follow_the_lexicons_and_negation()
    {
        var pos = Spec.HashSize + 2; // VADER compound
        Assert.True(Extract("I love this, wonderful")[pos] > 0.3f);
        Assert.True(Extract("I hate this, awful")[pos] < -0.3f);
        Assert.True(Extract("I am not happy")[pos] < 0);
    }

    [Fact]
    public void Negated_words_hash_apart_from_plain_ones()
    {
        var fx = new FeatureExtractor(Spec);
        Assert.NotEqual(fx.UnigramSlot("happy", false), fx.UnigramSlot("happy", true));
    }
}
