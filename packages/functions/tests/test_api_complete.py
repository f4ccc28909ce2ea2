"""kusari.functions exports every function of Chainer v7 that the first release covers."""
import os
import subprocess
import sys

import kusari.functions as F

# The 197 functions of Chainer v7.8 that everyday models use (issue #3).
CHAINER_FUNCTIONS = """
clipped_relu crelu elu hard_sigmoid leaky_relu log_softmax maxout prelu relu relu6
rrelu selu sigmoid softmax softplus swish tanh as_strided broadcast broadcast_to cast
concat copy depth2space diagonal dstack expand_dims flatten flip fliplr flipud get_item
hstack im2col moveaxis pad pad_sequence permutate repeat reshape resize_images rollaxis
scatter_add select_item separate space2depth split_axis squeeze stack swapaxes tile
transpose transpose_sequence vstack where bilinear convolution_1d convolution_2d
convolution_3d convolution_nd deconvolution_1d deconvolution_2d deconvolution_3d
deconvolution_nd depthwise_convolution_2d dilated_convolution_2d embed_id linear shift
accuracy binary_accuracy classification_summary f1_score precision recall r2_score
absolute_error bernoulli_nll contrastive cross_covariance decov gaussian_kl_divergence
gaussian_nll hinge huber_loss mean_absolute_error mean_squared_error
sigmoid_cross_entropy softmax_cross_entropy squared_error triplet absolute add arccos
arcsin arctan arctan2 arctanh argmax argmin average batch_det batch_inv
batch_l2_norm_squared batch_matmul bias ceil cholesky clip cos cosh cumprod cumsum det
digamma einsum erf erfc erfcinv erfcx erfinv exp expm1 fft fix floor fmod identity ifft
inv lgamma linear_interpolate log log10 log1p log2 log_ndtr logsumexp matmul max
maximum mean min minimum ndtr ndtri polygamma prod rsqrt scale sign sin sinh sqrt
square squared_difference sum sum_to tan tensordot zeta dropout gaussian gumbel_softmax
simplified_dropconnect zoneout batch_normalization batch_renormalization
fixed_batch_normalization fixed_batch_renormalization group_normalization
layer_normalization local_response_normalization normalize average_pooling_1d
average_pooling_2d average_pooling_3d average_pooling_nd max_pooling_1d max_pooling_2d
max_pooling_3d max_pooling_nd spatial_pyramid_pooling_2d unpooling_1d unpooling_2d
unpooling_3d unpooling_nd upsampling_2d lstm slstm n_step_lstm n_step_bilstm n_step_gru
n_step_bigru n_step_rnn n_step_birnn forget
""".split()


# The other 19 of Chainer v7.8's 216 functions (issue #8).
CHAINER_FUNCTIONS_II = """
argmax_crf1d black_out connectionist_temporal_classification crf1d
discriminative_margin_based_clustering_loss negative_sampling
deformable_convolution_2d_sampler local_convolution_2d spatial_transformer_grid
spatial_transformer_sampler roi_average_align_2d roi_average_pooling_2d roi_max_align_2d
roi_max_pooling_2d roi_pooling_2d decorrelated_batch_normalization
fixed_decorrelated_batch_normalization tree_lstm sparse_matmul
""".split()

# What Chainer never had.
BEYOND_CHAINER = """
gelu silu mish hard_swish softsign log_sigmoid scaled_dot_product_attention
kl_divergence cosine_similarity pairwise_distance
""".split()


def test_all_216_chainer_functions_and_the_additions_exist():
    names = CHAINER_FUNCTIONS + CHAINER_FUNCTIONS_II
    assert len(set(names)) == 216
    missing = [n for n in names + BEYOND_CHAINER if not callable(getattr(F, n, None))]
    assert not missing, missing


def test_count():
    assert len(CHAINER_FUNCTIONS) == len(set(CHAINER_FUNCTIONS)) == 197


def test_every_function_exists_and_is_documented():
    missing = [n for n in CHAINER_FUNCTIONS if not callable(getattr(F, n, None))]
    assert not missing, missing
    undocumented = [n for n in CHAINER_FUNCTIONS if not (getattr(F, n).__doc__ or "").strip()]
    assert not undocumented, undocumented


def test_function_table_in_readme_is_current():
    top = os.path.join(os.path.dirname(__file__), "..", "..", "..")
    tool = os.path.join(top, "tools", "function_table.py")
    if not os.path.exists(tool):
        return
    out = subprocess.run([sys.executable, tool, "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
