namespace Microsoft.ML.Autoencoders;

/// <summary>Gradient-descent method used to train the network.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba), the usual choice for autoencoders.</summary>
    Adam,
    /// <summary>Mini-batch stochastic gradient descent with (heavy-ball) momentum.</summary>
    SgdMomentum,
}

/// <summary>How the learning rate changes over the epochs.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same learning rate for every epoch.</summary>
    Constant,
    /// <summary>Cosine decay from the learning rate to (nearly) zero at the last epoch.</summary>
    Cosine,
}
