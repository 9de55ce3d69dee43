/// hash_md5, hash_sha1 and hash_sha256 over the UTF-8 text of a value (lower-case hex), written here
/// from the published algorithms (RFC 1321, FIPS 180-4) because the engine links no crypto library.

import Foundation
import TableModel

enum HashFunctions {
    static func compile(_ name: String, _ a: [Scalar], _ raw: [Expr], _ context: QueryContext) throws -> Scalar? {
        let digest: ([UInt8]) -> [UInt8]
        switch name {
        case "hash_md5": digest = md5
        case "hash_sha1": digest = sha1
        case "hash_sha256": digest = sha256
        default: return nil
        }
        try Functions.arity(name, a, 1...1)
        return a[0].map(.string) { v in
            .string(
                digest(Array(v.kqlString.utf8)).map { byte in
                    let text = String(byte, radix: 16)
                    return byte < 16 ? "0" + text : text
                }.joined())
        }
    }

    /// The message padded to whole 64-byte blocks with its bit length (little- or big-endian).
    static func padded(_ message: [UInt8], bigEndian: Bool) -> [UInt8] {
        var bytes = message
        let bits = UInt64(message.count) &* 8
        bytes.append(0x80)
        while bytes.count % 64 != 56 { bytes.append(0) }
        for index in 0..<8 {
            let shift = bigEndian ? UInt64(56 - 8 * index) : UInt64(8 * index)
            bytes.append(UInt8(truncatingIfNeeded: bits >> shift))
        }
        return bytes
    }

    static func word(_ bytes: [UInt8], _ at: Int, bigEndian: Bool) -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<4 {
            let byte = UInt32(bytes[at + (bigEndian ? index : 3 - index)])
            value = value << 8 | byte
        }
        return value
    }

    static func bytes(_ words: [UInt32], bigEndian: Bool) -> [UInt8] {
        words.flatMap { word in
            (0..<4).map { index in
                UInt8(truncatingIfNeeded: word >> UInt32(bigEndian ? 24 - 8 * index : 8 * index))
            }
        }
    }

    static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }

    static func md5(_ message: [UInt8]) -> [UInt8] {
        let shifts: [UInt32] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
        let constants: [UInt32] = (0..<64).map {
            UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4_294_967_296))
        }
        var state: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476]
        let data = padded(message, bigEndian: false)
        for block in stride(from: 0, to: data.count, by: 64) {
            let m = (0..<16).map { word(data, block + 4 * $0, bigEndian: false) }
            var (a, b, c, d) = (state[0], state[1], state[2], state[3])
            for i in 0..<64 {
                var f: UInt32
                var g: Int
                switch i / 16 {
                case 0: (f, g) = ((b & c) | (~b & d), i)
                case 1: (f, g) = ((d & b) | (~d & c), (5 * i + 1) % 16)
                case 2: (f, g) = (b ^ c ^ d, (3 * i + 5) % 16)
                default: (f, g) = (c ^ (b | ~d), (7 * i) % 16)
                }
                f = f &+ a &+ constants[i] &+ m[g]
                a = d
                d = c
                c = b
                b = b &+ rotl(f, shifts[(i / 16) * 4 + i % 4])
            }
            state = [state[0] &+ a, state[1] &+ b, state[2] &+ c, state[3] &+ d]
        }
        return bytes(state, bigEndian: false)
    }

    static func sha1(_ message: [UInt8]) -> [UInt8] {
        var state: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        let data = padded(message, bigEndian: true)
        for block in stride(from: 0, to: data.count, by: 64) {
            var w = (0..<16).map { word(data, block + 4 * $0, bigEndian: true) }
            for t in 16..<80 { w.append(rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1)) }
            var (a, b, c, d, e) = (state[0], state[1], state[2], state[3], state[4])
            for t in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch t / 20 {
                case 0: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 1: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 2: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = rotl(a, 5) &+ f &+ e &+ k &+ w[t]
                e = d
                d = c
                c = rotl(b, 30)
                b = a
                a = temp
            }
            state = [state[0] &+ a, state[1] &+ b, state[2] &+ c, state[3] &+ d, state[4] &+ e]
        }
        return bytes(state, bigEndian: true)
    }

    static func sha256(_ message: [UInt8]) -> [UInt8] {
        let k: [UInt32] = [
            0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
            0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
            0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
            0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
            0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
            0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
            0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
            0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
        ]
        var state: [UInt32] = [
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
        ]
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        let data = padded(message, bigEndian: true)
        for block in stride(from: 0, to: data.count, by: 64) {
            var w = (0..<16).map { word(data, block + 4 * $0, bigEndian: true) }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w.append(w[t - 16] &+ s0 &+ w[t - 7] &+ s1)
            }
            var h = state
            for t in 0..<64 {
                let s1 = rotr(h[4], 6) ^ rotr(h[4], 11) ^ rotr(h[4], 25)
                let choice = (h[4] & h[5]) ^ (~h[4] & h[6])
                let temp1 = h[7] &+ s1 &+ choice &+ k[t] &+ w[t]
                let s0 = rotr(h[0], 2) ^ rotr(h[0], 13) ^ rotr(h[0], 22)
                let majority = (h[0] & h[1]) ^ (h[0] & h[2]) ^ (h[1] & h[2])
                h = [temp1 &+ s0 &+ majority, h[0], h[1], h[2], h[3] &+ temp1, h[4], h[5], h[6]]
            }
            state = zip(state, h).map { $0 &+ $1 }
        }
        return bytes(state, bigEndian: true)
    }
}
