<#
    Invoke-VmmFanOutCommand: how a public cmdlet given -Session or -ComputerName hands itself to Invoke-VmmFanOut
    (the parameters sent to each server, the confirmation asked once, -WhatIf passed on). Invoke-VmmFanOut itself
    is replaced by a recorder here; Invoke-VmmFanOut.Tests.ps1 runs the real thing against SSH test servers.
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    Mock -ModuleName VmmBackup Invoke-VmmFanOut {
        [pscustomobject]@{ Recorded = @{} + $PesterBoundParameters }
    }
}

AfterAll { Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue }

Describe 'a public cmdlet run on several servers' {
    It 'sends its bound parameters to each server, confirmed once here, each server running with -Confirm:$false' {
        $call = Restore-VmmLibraryShare -ComputerName srv1, srv2 -BackupSet (Join-Path $TestDrive 'b') -Destination 'D:\Library' -ThrottleLimit 4 -Confirm:$false
        $call.Recorded.CommandName | Should -Be 'Restore-VmmLibraryShare'
        @($call.Recorded.ServerFolderParameter) | Should -Be @('BackupSet')
        $call.Recorded.Parameters.Destination | Should -Be 'D:\Library'
        $call.Recorded.Parameters.Confirm | Should -BeFalse
        $call.Recorded.Parameters.ContainsKey('WhatIf') | Should -BeFalse
        @($call.Recorded.ComputerName) | Should -Be @('srv1', 'srv2')
        $call.Recorded.ThrottleLimit | Should -Be 4
        $call.Recorded.ContainsKey('OperationTimeoutSec') | Should -BeFalse -Because 'Invoke-VmmFanOut keeps its own default when the caller did not bind one'
    }

    It 'passes -WhatIf on to each server instead of asking' {
        $call = Backup-VmmLibraryShare -ComputerName srv1 -Path 'D:\Library' -Destination (Join-Path $TestDrive 'd') -WhatIf
        $call.Recorded.Parameters.WhatIf | Should -BeTrue
        $call.Recorded.Parameters.ContainsKey('Confirm') | Should -BeFalse
        @($call.Recorded.ServerFolderParameter) | Should -Be @('Destination')
    }

    It 'does not confirm for a read-only cmdlet' {
        $call = Test-VmmBackup -ComputerName srv1 -Path (Join-Path $TestDrive 't')
        $call.Recorded.CommandName | Should -Be 'Test-VmmBackup'
        $call.Recorded.Parameters.ContainsKey('Confirm') | Should -BeFalse
        $call.Recorded.Parameters.ContainsKey('WhatIf') | Should -BeFalse
        $call.Recorded.ContainsKey('NewFailedItem') | Should -BeFalse
    }

    It 'hands on the result of a server that could not run, where the cmdlet has one' {
        $call = Invoke-VmmBackup -ComputerName srv1 -Destination (Join-Path $TestDrive 'p') -Confirm:$false
        $item = & $call.Recorded.NewFailedItem 'srv1' 'unreachable' ([datetime]::UtcNow) ([datetime]::UtcNow)
        $item.Id | Should -Be 'fanout.server'
        $item.ComputerName | Should -Be 'srv1'
        $item.State | Should -Be 'Failed'
    }

    It 'refuses a library backup on several servers without -Path, before any server is asked' {
        { Backup-VmmLibraryShare -ComputerName srv1 -Destination (Join-Path $TestDrive 'd') -Confirm:$false } | Should -Throw -ErrorId 'VmmBackup.FanOutNeedsPath,Backup-VmmLibraryShare'
        Should -Invoke -ModuleName VmmBackup Invoke-VmmFanOut -Times 0 -Exactly -Scope It
    }
}
