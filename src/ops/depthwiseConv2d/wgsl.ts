/**
 * depthwiseConv2d's WGSL, in the order of docs/evaluation-order.md: per output element
 * `acc = +0; for kh, for kw: if the tap is inside the input, acc = acc + x·w` (padded taps skipped,
 * never added as 0·w), then `acc + bias`. Written as `acc + x * w` so the backend's mul-add fusion
 * choice shows (profile 'fma' where it fuses).
 *
 * Two variants, same arithmetic per output: `generic` (one output per invocation, any kernel,
 * stride, dilation) and `row4` for 3×3 / stride 1 / dilation 1 (the block's and the benchmark's
 * shape), where an invocation computes four neighbouring outputs of a row from one 3×6 window of
 * the input: memory-bound, each input element is loaded about 4.5× less often.
 */
import { tableMain } from '../../gpu/entry.ts';
import { tableReads, tableRecord } from '../../gpu/record.ts';
import { tablePrelude } from '../../gpu/table.ts';

export const WG = 256;
/** A case's record: offsets (bOff NONE without bias), input shape, multiplier M, kernel, stride, padding, dilation, output shape. */
export const DEPTHWISE_RECORD = tableRecord('depthwiseConv2d record', {
  xOff: 'u32', wOff: 'u32', bOff: 'u32', yOff: 'u32', C: 'u32', H: 'u32', W: 'u32', M: 'u32',
  KH: 'u32', KW: 'u32', sH: 'u32', sW: 'u32', pH: 'u32', pW: 'u32', dH: 'u32', dW: 'u32', OH: 'u32', OW: 'u32', Cout: 'u32',
});

export type DepthwiseVariant = 'generic' | 'row4';

const fields = tableReads(DEPTHWISE_RECORD);

// From t1 = (sample · Cout + oc) · OH + oh: the output channel, the sample and the input plane read.
const outputChannel = /* wgsl */ `let t2 = t1 / OH;
  let oc = t2 % Cout;
  let b = t2 / Cout;
  let xPlane = xOff + (b * C + oc / M) * H * W;`;

export function depthwiseConv2dWgsl(variant: DepthwiseVariant): string {
  if (variant === 'generic') {
    return /* wgsl */ `${tablePrelude(DEPTHWISE_RECORD)}
${tableMain('invocation', WG)}
${fields}
  let ow = r % OW;
  let t1 = r / OW;
  let oh = t1 % OH;
  ${outputChannel}
  let wBase = wOff + oc * KH * KW;
  let ih0 = i32(oh * sH) - i32(pH);
  let iw0 = i32(ow * sW) - i32(pW);
  var acc = batch.zero;
  for (var kh = 0u; kh < KH; kh++) {
    let ih = ih0 + i32(kh * dH);
    if (ih < 0 || ih >= i32(H)) { continue; }
    let xRow = xPlane + u32(ih) * W;
    for (var kw = 0u; kw < KW; kw++) {
      let iw = iw0 + i32(kw * dW);
      if (iw < 0 || iw >= i32(W)) { continue; }
      acc = acc + X[xRow + u32(iw)] * P[wBase + kh * KW + kw];
    }
  }
  if (bOff != NONE) { acc = acc + P[bOff + oc]; }
  Y[yOff + r] = acc;
}`;
  }
  // row4: work unit = 4 neighbouring outputs (ow0 .. ow0+3) of one output row; 3×3, stride 1, dilation 1.
  return /* wgsl */ `${tablePrelude(DEPTHWISE_RECORD)}
${tableMain('invocation', WG)}
${fields}
  let quads = (OW + 3u) / 4u;
  let ow0 = (r % quads) * 4u;
  let t1 = r / quads;
  let oh = t1 % OH;
  ${outputChannel}
  let wBase = wOff + oc * 9u;
  var acc = array<f32, 4>(batch.zero, batch.zero, batch.zero, batch.zero);
  let iwBase = i32(ow0) - i32(pW);
  for (var kh = 0u; kh < 3u; kh++) {
    let ih = i32(oh) - i32(pH) + i32(kh);
    if (ih < 0 || ih >= i32(H)) { continue; }
    let xRow = xPlane + u32(ih) * W;
    var xs: array<f32, 6>;
    for (var i = 0u; i < 6u; i++) {
      let iw = iwBase + i32(i);
      xs[i] = select(0.0, X[xRow + u32(clamp(iw, 0, i32(W) - 1))], iw >= 0 && iw < i32(W));
    }
    let w0 = P[wBase + kh * 3u];
    let w1 = P[wBase + kh * 3u + 1u];
    let w2 = P[wBase + kh * 3u + 2u];
    for (var j = 0u; j < 4u; j++) {
      // Output ow0 + j reads input columns iwBase + j + kw; skip the padded ones.
      let c0 = iwBase + i32(j);
      if (c0 >= 0 && c0 < i32(W)) { acc[j] = acc[j] + xs[j] * w0; }
      if (c0 + 1 >= 0 && c0 + 1 < i32(W)) { acc[j] = acc[j] + xs[j + 1u] * w1; }
      if (c0 + 2 >= 0 && c0 + 2 < i32(W)) { acc[j] = acc[j] + xs[j + 2u] * w2; }
    }
  }
  let yRow = yOff + ((b * Cout + oc) * OH + oh) * OW;
  for (var j = 0u; j < 4u; j++) {
    if (ow0 + j < OW) {
      var v = acc[j];
      if (bOff != NONE) { v = v + P[bOff + oc]; }
      Y[yRow + ow0 + j] = v;
    }
  }
}`;
}
