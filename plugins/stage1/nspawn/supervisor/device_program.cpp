// The program is assembled here by hand, the way crun does (src/libcrun/ebpf.c): libbpf is not
// among the project's dependencies, and a filter of a few compares per rule needs no compiler,
// no ELF object and no BTF, only the instruction encoding of <linux/bpf.h>. The helpers below
// are the kernel's own insn macros (include/linux/filter.h, not part of the uapi) as functions.
#include "device_program.hpp"

#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

namespace {

using Program = std::vector<bpf_insn>;

bpf_insn insn(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int16_t off,
              std::int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

// BPF_LDX_MEM(BPF_W, dst, src, off): dst = *(u32 *)(src + off)
bpf_insn loadWord(std::uint8_t dst, std::uint8_t src, std::int16_t off) {
  return insn(BPF_LDX | BPF_W | BPF_MEM, dst, src, off, 0);
}
// BPF_ALU32_IMM(op, dst, imm)
bpf_insn alu32Imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm) {
  return insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
// BPF_MOV32_REG(dst, src)
bpf_insn mov32Reg(std::uint8_t dst, std::uint8_t src) {
  return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
}
// BPF_MOV64_IMM(dst, imm)
bpf_insn mov64Imm(std::uint8_t dst, std::int32_t imm) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
// BPF_JMP_IMM(BPF_JNE, dst, imm, off) and BPF_JMP_REG(BPF_JNE, dst, src, off); `off` is patched
// once the rule's length is known.
bpf_insn jumpIfNotImm(std::uint8_t dst, std::int32_t imm) {
  return insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, 0, imm);
}
bpf_insn jumpIfNotReg(std::uint8_t dst, std::uint8_t src) {
  return insn(BPF_JMP | BPF_JNE | BPF_X, dst, src, 0, 0);
}
// BPF_EXIT_INSN()
bpf_insn exitInsn() {
  return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

// Registers once the prologue ran (r1 is the struct bpf_cgroup_dev_ctx *).
constexpr std::uint8_t kType = 2;    // BPF_DEVCG_DEV_*
constexpr std::uint8_t kAccess = 3;  // BPF_DEVCG_ACC_* asked for
constexpr std::uint8_t kMajor = 4;
constexpr std::uint8_t kMinor = 5;
constexpr std::uint8_t kScratch = 1;
constexpr unsigned kAllAccess = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;

// One rule: every test that fails jumps past the rule's end; the last two instructions allow.
void appendRule(Program& program, const DeviceRule& rule) {
  Program block;
  if (rule.type != 'a') {
    block.push_back(
        jumpIfNotImm(kType, rule.type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK));
  }
  if ((rule.access & kAllAccess) != kAllAccess) {
    // Allowed when what is asked is a subset of the rule's access.
    block.push_back(mov32Reg(kScratch, kAccess));
    block.push_back(alu32Imm(BPF_AND, kScratch, static_cast<std::int32_t>(rule.access)));
    block.push_back(jumpIfNotReg(kScratch, kAccess));
  }
  if (rule.major >= 0) {
    block.push_back(jumpIfNotImm(kMajor, static_cast<std::int32_t>(rule.major)));
  }
  if (rule.minor >= 0) {
    block.push_back(jumpIfNotImm(kMinor, static_cast<std::int32_t>(rule.minor)));
  }
  block.push_back(mov64Imm(BPF_REG_0, 1));
  block.push_back(exitInsn());
  for (std::size_t i = 0; i < block.size(); ++i) {
    if (BPF_CLASS(block[i].code) == BPF_JMP && BPF_OP(block[i].code) == BPF_JNE) {
      block[i].off = static_cast<std::int16_t>(block.size() - i - 1);
    }
  }
  program.insert(program.end(), block.begin(), block.end());
}

Program assemble(const std::vector<DeviceRule>& rules) {
  Program program = {
      loadWord(kType, BPF_REG_1, offsetof(bpf_cgroup_dev_ctx, access_type)),
      alu32Imm(BPF_AND, kType, 0xffff),
      loadWord(kAccess, BPF_REG_1, offsetof(bpf_cgroup_dev_ctx, access_type)),
      alu32Imm(BPF_RSH, kAccess, 16),
      loadWord(kMajor, BPF_REG_1, offsetof(bpf_cgroup_dev_ctx, major)),
      loadWord(kMinor, BPF_REG_1, offsetof(bpf_cgroup_dev_ctx, minor)),
  };
  for (const DeviceRule& rule : rules) {
    appendRule(program, rule);
  }
  program.push_back(mov64Imm(BPF_REG_0, 0));  // no rule matched: denied
  program.push_back(exitInsn());
  return program;
}

long bpf(int cmd, bpf_attr& attr) {
  return ::syscall(__NR_bpf, cmd, &attr, sizeof attr);
}

[[noreturn]] void invalidRule(const std::string& line) {
  appexec::fail(RKT_E_INVALID, "invalid device rule `" + line + "`");
}

// A major or minor number, or `*`.
std::int64_t deviceNumber(const std::string& text, const std::string& line) {
  if (text == "*") {
    return -1;
  }
  if (text.empty() || text.size() > 7 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    invalidRule(line);
  }
  return std::stoll(text);
}

}  // namespace

DeviceRule parseDeviceRule(const std::string& line) {
  DeviceRule rule;
  if (line == "a") {
    rule.access = kAllAccess;
    return rule;
  }
  const std::size_t space = line.find(' ');
  const std::size_t colon = line.find(':');
  const std::size_t access = line.find(' ', space + 1);
  if (line.size() < 2 || space != 1 || std::strchr("abc", line[0]) == nullptr ||
      colon == std::string::npos || colon > access) {
    invalidRule(line);
  }
  rule.type = line[0];
  rule.major = deviceNumber(line.substr(2, colon - 2), line);
  rule.minor = deviceNumber(
      line.substr(colon + 1, access == std::string::npos ? std::string::npos : access - colon - 1),
      line);
  const std::string letters = access == std::string::npos ? "rwm" : line.substr(access + 1);
  for (char c : letters) {
    switch (c) {
      case 'r':
        rule.access |= BPF_DEVCG_ACC_READ;
        break;
      case 'w':
        rule.access |= BPF_DEVCG_ACC_WRITE;
        break;
      case 'm':
        rule.access |= BPF_DEVCG_ACC_MKNOD;
        break;
      default:
        invalidRule(line);
    }
  }
  if (rule.access == 0) {
    invalidRule(line);
  }
  return rule;
}

void attachDeviceProgram(int cgroupFd, const std::vector<DeviceRule>& rules) {
  const Program program = assemble(rules);
  static const char kLicense[] = "Apache-2.0";
  bpf_attr load{};
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = reinterpret_cast<std::uintptr_t>(program.data());
  load.insn_cnt = static_cast<std::uint32_t>(program.size());
  load.license = reinterpret_cast<std::uintptr_t>(kLicense);
  posix::UniqueFd prog(static_cast<int>(bpf(BPF_PROG_LOAD, load)));
  if (!prog.valid()) {
    posix::throwSys("cannot load the app's device program");
  }
  bpf_attr attach{};
  attach.target_fd = static_cast<std::uint32_t>(cgroupFd);
  attach.attach_bpf_fd = static_cast<std::uint32_t>(prog.get());
  attach.attach_type = BPF_CGROUP_DEVICE;
  attach.attach_flags = BPF_F_ALLOW_MULTI;
  if (bpf(BPF_PROG_ATTACH, attach) != 0) {
    posix::throwSys("cannot attach the device program to the app's cgroup");
  }
  // The attachment holds the program; the descriptor can go.
}

}  // namespace rkt::nspawn
