import CNCurses
import TendUI

/// Turns the result of `wget_wch` into a `Key`.
enum KeyDecoder {
    /// `status` is wget_wch's return value, `code` the character or key code it stored.
    static func decode(status: Int32, code: UInt32) -> Key? {
        if status == Int32(tend_key_code_yes()) { return decodeKeyCode(Int32(bitPattern: code)) }
        guard status == Int32(tend_ok()) else { return nil }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard code >= 32, let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }

    static func decodeKeyCode(_ k: Int32) -> Key? {
        switch k {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case tend_key_resize(): return .resize
        default:
            let f1 = tend_key_f(1)
            if k >= f1 && k < f1 + 24 { return .function(Int(k - f1) + 1) }
            return nil
        }
    }
}
