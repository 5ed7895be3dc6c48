// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/**
 * @title GliskNFT
 * @notice GLISK-compatible ERC-721: paid batch mints that record the prompt author of every token, and a
 *         keeper-driven reveal that swaps the placeholder URI for each token's own URI.
 *
 * Reveal storage design ("SSTORE2" chunks):
 *  - Every `revealTokens` call writes all of its URIs into one (or, for very large calls, several) data
 *    contracts whose runtime code is
 *        0x00 | uint16 offset[0] | ... | uint16 offset[n] | uri[0] bytes | ... | uri[n-1] bytes
 *    where offset[k] is the absolute code position where uri k starts and offset[n] is the code size.
 *    The leading 0x00 (STOP) makes the chunk non-executable. Code deposit costs 200 gas/byte, far cheaper
 *    than SSTORE (a fresh 32-byte slot is 22,100 gas, i.e. ~690 gas/byte).
 *  - Per token only a 32-bit pointer is stored: (chunk number << 8) | index within the chunk. Eight
 *    pointers share one storage slot, so consecutive tokens revealed together touch ~1/8 slot each.
 *    Pointer 0 means "not revealed" (chunk numbers start at 1), so `isRevealed` is a single SLOAD.
 *  - Chunks are created only by this contract with plain CREATE, and this contract creates nothing else,
 *    so chunk number k is the contract created with this contract's nonce k (contract nonces start at 1,
 *    EIP-161). Its address is derived from (this, k) instead of being stored, which saves a fresh SSTORE
 *    per reveal call; `_writeChunk` checks the derived address against the one CREATE returned.
 *
 * Prompt authors: one slot per mint call holds the author (keyed by the batch's first token id) and every
 * token stores its 8-bit distance to that first token, 32 tokens per slot.
 */
contract GliskNFT is ERC721, AccessControl, IERC4906 {
    /// @notice Role allowed (besides DEFAULT_ADMIN_ROLE) to reveal tokens.
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    /// @notice Largest `quantity` accepted by one `mint` call.
    uint256 public constant MAX_MINT_QUANTITY = 50;

    /// @dev EIP-170 runtime code size limit: the largest chunk that can be deployed.
    uint256 private constant MAX_CHUNK_SIZE = 24576;
    /// @dev The index within a chunk is 8 bits wide.
    uint256 private constant MAX_CHUNK_ENTRIES = 256;
    /// @dev The chunk number is 24 bits wide.
    uint256 private constant MAX_CHUNK_NUMBER = 0xffffff;

    error InvalidQuantity(uint256 quantity);
    error InsufficientPayment(uint256 required, uint256 paid);
    error LengthMismatch();
    error EmptyReveal();
    error AlreadyRevealed(uint256 tokenId);
    error URITooLong(uint256 tokenId);
    error ChunkLimitReached();
    error ChunkDeploymentFailed();
    error WithdrawFailed();

    event BatchMinted(
        address indexed minter,
        address indexed promptAuthor,
        uint256 indexed startTokenId,
        uint256 quantity,
        uint256 totalPaid
    );
    event TokensRevealed(uint256[] tokenIds);
    event MintPriceUpdated(uint256 oldPrice, uint256 newPrice);
    event PlaceholderURIUpdated(string newPlaceholderURI);
    event Withdrawn(address indexed to, uint256 amount);

    /// @notice Price of one token in wei.
    uint256 public mintPrice;

    uint256 private _nextTokenId;
    /// @dev Nonce this contract will use for its next CREATE, i.e. the number of the next chunk.
    uint256 private _nextChunk;
    string private _placeholderURI;

    /// @dev Reveal pointers, 8 x uint32 per slot: slot tokenId >> 3, bits ((tokenId & 7) * 32).
    mapping(uint256 => uint256) private _revealPointers;
    /// @dev Distance of each token to the first token of its mint call, 32 x uint8 per slot.
    mapping(uint256 => uint256) private _mintOffsets;
    /// @dev Prompt author of each mint call, keyed by the call's first token id.
    mapping(uint256 => address) private _batchAuthor;

    constructor(string memory name_, string memory symbol_, string memory placeholderURI_, uint256 mintPrice_)
        ERC721(name_, symbol_)
    {
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _placeholderURI = placeholderURI_;
        mintPrice = mintPrice_;
        _nextTokenId = 1;
        _nextChunk = 1;
    }

    // ---------------------------------------------------------------------------------------------------
    // Minting
    // ---------------------------------------------------------------------------------------------------

    /**
     * @notice Mints `quantity` (1..50) sequential tokens to the caller, crediting `promptAuthor`.
     * @dev Emits one ERC-721 Transfer per token and exactly one BatchMinted. Any payment above
     *      mintPrice * quantity is kept by the contract (totalPaid reports msg.value).
     */
    function mint(address promptAuthor, uint256 quantity) external payable {
        if (quantity == 0 || quantity > MAX_MINT_QUANTITY) revert InvalidQuantity(quantity);
        uint256 required = mintPrice * quantity;
        if (msg.value < required) revert InsufficientPayment(required, msg.value);

        uint256 startTokenId = _nextTokenId;
        _nextTokenId = startTokenId + quantity;
        _batchAuthor[startTokenId] = promptAuthor;

        for (uint256 i = 0; i < quantity; ++i) {
            uint256 tokenId = startTokenId + i;
            if (i != 0) {
                _mintOffsets[tokenId >> 5] |= i << ((tokenId & 31) << 3);
            }
            _mint(msg.sender, tokenId);
        }

        emit BatchMinted(msg.sender, promptAuthor, startTokenId, quantity, msg.value);
    }

    /// @notice The id the next minted token will get (1 before any mint).
    function nextTokenId() external view returns (uint256) {
        return _nextTokenId;
    }

    /// @notice The prompt author credited when `tokenId` was minted.
    function tokenPromptAuthor(uint256 tokenId) external view returns (address) {
        _requireMinted(tokenId);
        uint256 offset = (_mintOffsets[tokenId >> 5] >> ((tokenId & 31) << 3)) & 0xff;
        return _batchAuthor[tokenId - offset];
    }

    // ---------------------------------------------------------------------------------------------------
    // Reveal
    // ---------------------------------------------------------------------------------------------------

    /**
     * @notice Sets the final URI of each token. Callable by KEEPER_ROLE or DEFAULT_ADMIN_ROLE holders.
     * @dev Reverts as a whole if the lengths differ, the batch is empty, any token does not exist or is
     *      already revealed (including a token listed twice).
     */
    function revealTokens(uint256[] calldata tokenIds, string[] calldata uris) external {
        if (!hasRole(KEEPER_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, KEEPER_ROLE);
        }
        uint256 n = tokenIds.length;
        if (n != uris.length) revert LengthMismatch();
        if (n == 0) revert EmptyReveal();

        uint256 lastTokenId = _nextTokenId; // exclusive
        uint256 chunk = _nextChunk;
        uint256 minId = type(uint256).max;
        uint256 maxId = 0;

        uint256 start = 0;
        while (start < n) {
            // Take as many URIs as fit into one chunk.
            uint256 end = start;
            uint256 dataSize = 0;
            while (end < n && end - start < MAX_CHUNK_ENTRIES) {
                uint256 size = bytes(uris[end]).length;
                // code = 1 STOP byte + (count + 1) uint16 offsets + data
                if (1 + 2 * (end - start + 2) + dataSize + size > MAX_CHUNK_SIZE) break;
                dataSize += size;
                ++end;
            }
            if (end == start) revert URITooLong(tokenIds[start]);
            if (chunk > MAX_CHUNK_NUMBER) revert ChunkLimitReached();

            for (uint256 i = start; i < end; ++i) {
                uint256 tokenId = tokenIds[i];
                if (tokenId == 0 || tokenId >= lastTokenId) revert ERC721NonexistentToken(tokenId);
                uint256 shift = (tokenId & 7) << 5;
                uint256 word = _revealPointers[tokenId >> 3];
                if ((word >> shift) & 0xffffffff != 0) revert AlreadyRevealed(tokenId);
                _revealPointers[tokenId >> 3] = word | (((chunk << 8) | (i - start)) << shift);
                if (tokenId < minId) minId = tokenId;
                if (tokenId > maxId) maxId = tokenId;
            }

            _writeChunk(chunk, uris, start, end, dataSize);
            ++chunk;
            start = end;
        }

        _nextChunk = chunk;
        emit TokensRevealed(tokenIds);
        emit BatchMetadataUpdate(minId, maxId);
    }

    /// @notice Whether `tokenId` has its final URI.
    function isRevealed(uint256 tokenId) public view returns (bool) {
        return _pointerOf(tokenId) != 0;
    }

    /// @notice The placeholder URI until the token is revealed, its own URI after.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        uint256 pointer = _pointerOf(tokenId);
        if (pointer == 0) return _placeholderURI;
        return _readChunk(_chunkAddress(pointer >> 8), pointer & 0xff);
    }

    /// @notice The URI every unrevealed token reports.
    function placeholderURI() external view returns (string memory) {
        return _placeholderURI;
    }

    // ---------------------------------------------------------------------------------------------------
    // Admin
    // ---------------------------------------------------------------------------------------------------

    function setMintPrice(uint256 newPrice) external onlyRole(DEFAULT_ADMIN_ROLE) {
        emit MintPriceUpdated(mintPrice, newPrice);
        mintPrice = newPrice;
    }

    function setPlaceholderURI(string calldata newPlaceholderURI) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _placeholderURI = newPlaceholderURI;
        emit PlaceholderURIUpdated(newPlaceholderURI);
        // Every unrevealed token's URI changed.
        if (_nextTokenId > 1) emit BatchMetadataUpdate(1, _nextTokenId - 1);
    }

    function withdraw(address payable to) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 amount = address(this).balance;
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert WithdrawFailed();
        emit Withdrawn(to, amount);
    }

    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl, IERC165) returns (bool) {
        return interfaceId == bytes4(0x49064906) || super.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------

    function _requireMinted(uint256 tokenId) private view {
        if (tokenId == 0 || tokenId >= _nextTokenId) revert ERC721NonexistentToken(tokenId);
    }

    function _pointerOf(uint256 tokenId) private view returns (uint256) {
        return (_revealPointers[tokenId >> 3] >> ((tokenId & 7) << 5)) & 0xffffffff;
    }

    /**
     * @dev Deploys chunk number `chunk` holding uris[start:end] (`dataSize` bytes in total). Its init code is
     *      `PUSH2 size DUP1 PUSH1 0x0a RETURNDATASIZE CODECOPY RETURNDATASIZE RETURN` followed by the code.
     */
    function _writeChunk(uint256 chunk, string[] calldata uris, uint256 start, uint256 end, uint256 dataSize)
        private
    {
        uint256 count = end - start;
        uint256 headerSize = 1 + 2 * (count + 1);
        uint256 codeSize = headerSize + dataSize;
        address created;
        assembly ("memory-safe") {
            let init := mload(0x40)
            // 10-byte init code prefix, followed by the 0x00 STOP byte (the rest of this word is zero).
            mstore(init, or(or(shl(248, 0x61), shl(232, codeSize)), shl(176, 0x80600a3d393df3)))
            let header := add(init, 11) // offset[0] position in memory
            let data := add(init, add(10, headerSize)) // uri[0] position in memory
            let pos := headerSize // absolute code position of the next uri
            for { let i := start } lt(i, end) { i := add(i, 1) } {
                // uris[i]: head entry is the string's offset relative to the start of the heads.
                let strAt := add(uris.offset, calldataload(add(uris.offset, shl(5, i))))
                let len := calldataload(strAt)
                mstore8(header, shr(8, pos))
                mstore8(add(header, 1), pos)
                header := add(header, 2)
                calldatacopy(data, add(strAt, 0x20), len)
                data := add(data, len)
                pos := add(pos, len)
            }
            mstore8(header, shr(8, pos))
            mstore8(add(header, 1), pos)
            created := create(0, init, add(10, codeSize))
            // Memory past the free memory pointer was only used as scratch; nothing to restore.
        }
        if (created == address(0) || created != _chunkAddress(chunk)) revert ChunkDeploymentFailed();
    }

    /// @dev Entry `index` of `chunkAddr` as a string.
    function _readChunk(address chunkAddr, uint256 index) private view returns (string memory result) {
        assembly ("memory-safe") {
            extcodecopy(chunkAddr, 0x00, add(1, shl(1, index)), 4)
            let w := mload(0x00)
            let from := shr(240, w)
            let len := sub(and(shr(224, w), 0xffff), from)
            result := mload(0x40)
            mstore(result, len)
            extcodecopy(chunkAddr, add(result, 0x20), from, len)
            // Zero the padding of the last word, then bump the free memory pointer.
            let endPtr := add(add(result, 0x20), len)
            mstore(endPtr, 0)
            mstore(0x40, and(add(endPtr, 0x1f), not(0x1f)))
        }
    }

    /// @dev Address of the contract this contract creates with nonce `nonce` (1 <= nonce <= 0xffffff).
    function _chunkAddress(uint256 nonce) private view returns (address addr) {
        assembly ("memory-safe") {
            // rlp([address(this), nonce]) laid out in scratch space from 0x0a: 0xd6+x, 0x94, 20-byte address, nonce.
            mstore(0x00, address())
            mstore8(0x0b, 0x94)
            let size
            switch lt(nonce, 0x80)
            case 1 {
                mstore8(0x0a, 0xd6)
                mstore8(0x20, nonce)
                size := 23
            }
            default {
                switch lt(nonce, 0x100)
                case 1 {
                    mstore8(0x0a, 0xd7)
                    mstore8(0x20, 0x81)
                    mstore8(0x21, nonce)
                    size := 24
                }
                default {
                    switch lt(nonce, 0x10000)
                    case 1 {
                        mstore8(0x0a, 0xd8)
                        mstore8(0x20, 0x82)
                        mstore8(0x21, shr(8, nonce))
                        mstore8(0x22, nonce)
                        size := 25
                    }
                    default {
                        mstore8(0x0a, 0xd9)
                        mstore8(0x20, 0x83)
                        mstore8(0x21, shr(16, nonce))
                        mstore8(0x22, shr(8, nonce))
                        mstore8(0x23, nonce)
                        size := 26
                    }
                }
            }
            addr := and(keccak256(0x0a, size), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }
}
