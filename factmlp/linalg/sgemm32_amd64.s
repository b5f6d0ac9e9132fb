//go:build !purego

#include "textflag.h"

// K_STEP(boff, aoff, s0, s1, s2) adds one k's products to a partial sum of
// each row: B's 16 values at boff(DX) times A's element at aoff(AX) of rows
// 0, 1, 2, each product rounded, then added to s0, s1, s2.
#define K_STEP(boff, aoff, s0, s1, s2) \
	VMOVUPS boff(DX), Z24; \
	VMULPS.BCST aoff(AX), Z24, Z25; \
	VMULPS.BCST aoff(AX)(BX*1), Z24, Z26; \
	VMULPS.BCST aoff(AX)(BX*2), Z24, Z27; \
	VADDPS Z25, s0, s0; \
	VADDPS Z26, s1, s1; \
	VADDPS Z27, s2, s2

// func sgemm3x16AVX512(n8, n4, n1 int, a *float32, lda int, bp, c *float32, ldc int)
//
// C[3×16] += A[3×kc]·Bᵀ for a k-major panel bp (16 values per k), summing
// each entry as gonum's f32.DotUnitary does on a 16-byte aligned row:
// products (rounded) go to eight partial sums by k mod 8 over the first
// 8·n8 values (n8 even), the halves are added (SUM += P_SUM), then n4
// groups of four go to sums 0–3 and n1 single values to sum 0, and the
// entry is (s0+s1)+(s2+s3), as HADDPS twice. Row r's sums are Z8r…Z8r+7;
// B's row in Z24, the products in Z25–Z27. No FMA: DotUnitary rounds the
// product and the sum separately.
TEXT ·sgemm3x16AVX512(SB), NOSPLIT, $0-64
	MOVQ n8+0(FP), CX
	MOVQ a+24(FP), AX
	MOVQ lda+32(FP), BX
	SHLQ $2, BX
	MOVQ bp+40(FP), DX
	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), SI
	SHLQ $2, SI
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z23, Z23, Z23
	TESTQ CX, CX
	JZ halves
loop8:
	K_STEP(0, 0, Z0, Z8, Z16)
	K_STEP(64, 4, Z1, Z9, Z17)
	K_STEP(128, 8, Z2, Z10, Z18)
	K_STEP(192, 12, Z3, Z11, Z19)
	K_STEP(256, 16, Z4, Z12, Z20)
	K_STEP(320, 20, Z5, Z13, Z21)
	K_STEP(384, 24, Z6, Z14, Z22)
	K_STEP(448, 28, Z7, Z15, Z23)
	ADDQ $32, AX
	ADDQ $512, DX
	DECQ CX
	JNZ loop8
halves:
	VADDPS Z4, Z0, Z0
	VADDPS Z5, Z1, Z1
	VADDPS Z6, Z2, Z2
	VADDPS Z7, Z3, Z3
	VADDPS Z12, Z8, Z8
	VADDPS Z13, Z9, Z9
	VADDPS Z14, Z10, Z10
	VADDPS Z15, Z11, Z11
	VADDPS Z20, Z16, Z16
	VADDPS Z21, Z17, Z17
	VADDPS Z22, Z18, Z18
	VADDPS Z23, Z19, Z19
	MOVQ n4+8(FP), CX
	TESTQ CX, CX
	JZ tail1
loop4:
	K_STEP(0, 0, Z0, Z8, Z16)
	K_STEP(64, 4, Z1, Z9, Z17)
	K_STEP(128, 8, Z2, Z10, Z18)
	K_STEP(192, 12, Z3, Z11, Z19)
	ADDQ $16, AX
	ADDQ $256, DX
	DECQ CX
	JNZ loop4
tail1:
	MOVQ n1+16(FP), CX
	TESTQ CX, CX
	JZ reduce
loop1:
	K_STEP(0, 0, Z0, Z8, Z16)
	ADDQ $4, AX
	ADDQ $64, DX
	DECQ CX
	JNZ loop1
reduce:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	VADDPS Z9, Z8, Z8
	VADDPS Z11, Z10, Z10
	VADDPS Z10, Z8, Z8
	VADDPS Z17, Z16, Z16
	VADDPS Z19, Z18, Z18
	VADDPS Z18, Z16, Z16
	VADDPS (DI), Z0, Z0
	VMOVUPS Z0, (DI)
	VADDPS (DI)(SI*1), Z8, Z8
	VMOVUPS Z8, (DI)(SI*1)
	VADDPS (DI)(SI*2), Z16, Z16
	VMOVUPS Z16, (DI)(SI*2)
	VZEROUPPER
	RET
