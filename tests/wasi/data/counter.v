// A small synchronous counter with enable and synchronous reset, for the
// yosys synthesis test (tests/wasi/suite-wasi.sh): wrun and node must report
// the same cells.
module counter #(parameter WIDTH = 8) (
    input  wire             clk,
    input  wire             rst,
    input  wire             en,
    output reg  [WIDTH-1:0] count,
    output wire             wrap
);
  assign wrap = en && (count == {WIDTH{1'b1}});
  always @(posedge clk) begin
    if (rst)
      count <= {WIDTH{1'b0}};
    else if (en)
      count <= count + 1'b1;
  end
endmodule
